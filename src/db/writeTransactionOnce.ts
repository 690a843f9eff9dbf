import { DatabaseUnavailableError } from "./DatabaseUnavailableError.ts";
import type { AppDatabase } from "./openDatabase.ts";
import type { AppTransaction } from "./writeTransaction.ts";

/**
 * Runs `work` in one `BEGIN IMMEDIATE` transaction, once: the write lock is taken up front, so
 * two connections answering the same question queue behind each other instead of both reading
 * the old state. All of `work` commits or none of it does. Lock, permission and disk-full
 * failures become {@link DatabaseUnavailableError}.
 *
 * It waits for another connection's lock only as long as the connection's `busy_timeout`, and
 * that wait is synchronous: it stalls the whole event loop. The bot's connection has a busy
 * timeout of 0 and uses {@link writeTransaction}, which waits between attempts without blocking.
 */
export function writeTransactionOnce<T>(db: AppDatabase, work: (tx: AppTransaction) => T): T {
  try {
    return db.transaction(work, { behavior: "immediate" });
  } catch (error) {
    throw DatabaseUnavailableError.from(error, db.$client.name) ?? error;
  }
}
