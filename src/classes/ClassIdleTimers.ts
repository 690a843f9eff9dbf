import type { ClassScheduler } from "./ClassScheduler.ts";

/**
 * One idle timer per running class: armed from the class's last activity, re-armed on every host
 * action or reveal, cancelled when it ends. What "idle" means is the caller's `onIdle` to decide.
 */
export class ClassIdleTimers {
  readonly #timers = new Map<string, () => void>();

  constructor(
    private readonly scheduler: ClassScheduler,
    private readonly now: () => Date,
    /** Inactivity after which `onIdle` runs. */
    readonly idleMs: number,
  ) {}

  /** (Re-)arms the class's timer to fire `idleMs` after `lastActivityAt`. */
  arm(classId: string, lastActivityAt: Date, onIdle: () => void): void {
    this.cancel(classId);
    const wait = Math.max(0, lastActivityAt.getTime() + this.idleMs - this.now().getTime());
    this.#timers.set(
      classId,
      this.scheduler.schedule(wait, () => {
        this.#timers.delete(classId);
        onIdle();
      }),
    );
  }

  cancel(classId: string): void {
    this.#timers.get(classId)?.();
    this.#timers.delete(classId);
  }

  cancelAll(): void {
    for (const cancel of this.#timers.values()) cancel();
    this.#timers.clear();
  }
}
