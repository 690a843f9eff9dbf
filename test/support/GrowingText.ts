/** What a program prints, growing chunk by chunk, and waits for a pattern to appear in it. */
export class GrowingText {
  text = "";
  readonly #waiters = new Set<() => void>();

  append(chunk: string): void {
    this.text += chunk;
    this.recheck();
  }

  /** Runs every pending wait's check again (after the program exited, say). */
  recheck(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }

  /**
   * Resolves with the text from `from` up to `pattern` once it appears. Rejects after `timeoutMs`,
   * or as soon as `gaveUp()` names a reason (the program exited without printing it).
   */
  waitFor(
    pattern: string,
    from: number,
    timeoutMs: number,
    gaveUp: () => string | undefined = () => undefined,
  ): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const index = this.text.indexOf(pattern, from);
        if (index !== -1) {
          finish();
          resolve(this.text.slice(from, index));
          return;
        }
        const reason = gaveUp();
        if (reason !== undefined) {
          finish();
          reject(
            new Error(`${reason} before printing ${JSON.stringify(pattern)}:\n${this.text.slice(from)}`),
          );
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(
          new Error(
            `no ${JSON.stringify(pattern)} within ${timeoutMs} ms; output:\n${this.text.slice(from)}`,
          ),
        );
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }
}
