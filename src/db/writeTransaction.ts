import type { RandomSource } from "../random.ts";
import { DatabaseUnavailableError } from "./DatabaseUnavailableError.ts";
import type { AppDatabase } from "./openDatabase.ts";
import { writeTransactionOnce } from "./writeTransactionOnce.ts";

/** The handle a transaction body works with; same query API as {@link AppDatabase}. */
export type AppTransaction = Parameters<Parameters<AppDatabase["transaction"]>[0]>[0];

export interface WriteTransactionOptions {
  /**
   * How long, in total, to keep retrying while another connection holds the write lock before
   * giving up with `DatabaseUnavailableError` (reason `locked`). Default 2000 ms: with Discord's
   * automatic defer at 2 s, the member still hears back within the 3 s window.
   */
  maxWaitMs?: number;
  /** Jitters the pauses between attempts so waiting writers do not retry in lockstep. Default `Math.random`. */
  random?: RandomSource;
  /** Milliseconds since some fixed point, for the deadline. Default `performance.now`. */
  clock?: () => number;
}

/** Pauses between attempts grow from the first to the last value, then stay there. */
const pauseStepsMs = [5, 10, 20, 40, 80, 100];

/**
 * Runs `work` in one `BEGIN IMMEDIATE` transaction (see {@link writeTransactionOnce}), retrying
 * while another connection holds the write lock. Between attempts it waits on a timer, never in
 * SQLite's synchronous busy handler, so every other interaction keeps being served meanwhile.
 * `work` itself stays synchronous: it runs start to finish inside one attempt and is rolled back
 * and run again only when the lock could not even be taken.
 *
 * Throws {@link DatabaseUnavailableError}: `locked` once `maxWaitMs` has passed, `full` or
 * `unwritable` at once.
 */
export async function writeTransaction<T>(
  db: AppDatabase,
  work: (tx: AppTransaction) => T,
  options: WriteTransactionOptions = {},
): Promise<T> {
  const maxWaitMs = options.maxWaitMs ?? 2000;
  const random = options.random ?? Math.random;
  const clock = options.clock ?? (() => performance.now());
  const deadline = clock() + maxWaitMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return writeTransactionOnce(db, work);
    } catch (error) {
      if (!(error instanceof DatabaseUnavailableError && error.reason === "locked")) throw error;
      const left = deadline - clock();
      if (left <= 0) throw error;
      const step = pauseStepsMs[Math.min(attempt, pauseStepsMs.length - 1)] ?? 100;
      await pause(Math.min(left, step * (0.5 + random())));
    }
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
