/**
 * Runs a callback after a delay: question deadlines and idle ends. Tests pass one they drive, so
 * a timer's reveal is tested without waiting for it.
 */
export interface ClassScheduler {
  /** Calls `run` after `delayMs`; the returned function cancels it. */
  schedule(delayMs: number, run: () => void): () => void;
}

/** Node's timers, unref'd so a pending deadline never keeps the process alive at shutdown. */
export const realScheduler: ClassScheduler = {
  schedule(delayMs, run) {
    // setTimeout holds at most ~24.8 days; a longer idle time is re-armed when it fires early.
    const timer = setTimeout(run, Math.min(delayMs, 2 ** 31 - 1));
    timer.unref();
    return () => clearTimeout(timer);
  },
};
