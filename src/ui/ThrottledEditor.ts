import type { View } from "./view.ts";

/** Something whose content can be replaced (one message). */
export interface EditableMessage {
  edit(view: View): Promise<void>;
}

export interface ThrottledEditorOptions {
  /** Shortest time between two edits of the message, in ms. Default 1000 (one edit a second). */
  minIntervalMs?: number;
  /** Called when an intermediate edit fails; the next edit is still attempted. */
  onError?: (error: unknown) => void;
  now?: () => number;
}

/**
 * Streams a message: `show` records the newest view, and at most one edit a second is sent, each
 * carrying the newest view. Only one edit is in flight at a time, so when Discord answers 429 and
 * the REST client waits out `Retry-After`, edits slow down instead of piling up.
 */
export class ThrottledEditor {
  private pending: View | undefined;
  private inFlight: Promise<void> | undefined;
  private lastEditAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly minIntervalMs: number;
  private readonly now: () => number;
  /** Number of edits sent so far (for stats and benchmarks). */
  edits = 0;

  constructor(
    private readonly message: EditableMessage,
    private readonly options: ThrottledEditorOptions = {},
  ) {
    this.minIntervalMs = options.minIntervalMs ?? 1000;
    this.now = options.now ?? Date.now;
  }

  /** Records the newest state; it is sent when the rate allows. */
  show(view: View): void {
    if (this.closed) return;
    this.pending = view;
    this.schedule();
  }

  /**
   * Sends `view` as the final state once any edit in flight is done, then stops. It keeps to the
   * interval unless `immediate` (an answer to the member's own action, such as Stop, should not
   * lag by up to a second; the REST client still waits out a 429).
   */
  async finish(view: View, options: { immediate?: boolean } = {}): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.pending = undefined;
    await this.inFlight;
    const wait = options.immediate ? 0 : this.lastEditAt + this.minIntervalMs - this.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await this.send(view);
  }

  /** Stops without a final edit, once any edit in flight is done (the caller shows the end itself). */
  async cancel(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.pending = undefined;
    await this.inFlight;
  }

  private schedule(): void {
    if (this.inFlight || this.timer) return;
    const wait = Math.max(0, this.lastEditAt + this.minIntervalMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const view = this.pending;
      if (!view || this.closed) return;
      this.pending = undefined;
      this.inFlight = this.send(view)
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => {
          this.inFlight = undefined;
          if (this.pending && !this.closed) this.schedule();
        });
    }, wait);
  }

  private async send(view: View): Promise<void> {
    this.lastEditAt = this.now();
    this.edits += 1;
    await this.message.edit(view);
    this.lastEditAt = this.now();
  }
}
