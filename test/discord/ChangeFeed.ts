/**
 * Tells waiters that the double's state changed (a message was created, edited or deleted, an
 * interaction was acknowledged or expired), so they re-check their condition instead of polling.
 */
export class ChangeFeed {
  readonly #listeners = new Set<() => void>();

  notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }

  /**
   * Resolves with the first defined value `check` returns, checking now and after every change.
   * `check` may throw to fail the wait early (e.g. the interaction expired unacknowledged).
   */
  waitUntil<T>(check: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.#listeners.delete(listener);
        settle();
      };
      const listener = () => {
        try {
          const value = check();
          if (value !== undefined) finish(() => resolve(value));
        } catch (error) {
          finish(() => reject(error));
        }
      };
      const timer = setTimeout(
        () =>
          finish(() =>
            reject(new Error(`DiscordDouble: timed out after ${timeoutMs} ms waiting for ${describe()}`)),
          ),
        timeoutMs,
      );
      this.#listeners.add(listener);
      listener();
    });
  }
}
