import { DatabaseUnavailableError } from "./DatabaseUnavailableError.ts";
import type { AppDatabase } from "./openDatabase.ts";

/** The handle a transaction body works with; same query API as {@link AppDatabase}. */
export type AppTransaction = Parameters<Parameters<AppDatabase["transaction"]>[0]>[0];

/**
 * Runs `work` in one `BEGIN IMMEDIATE` transaction: the write lock is taken up front, so two
 * connections answering the same question queue behind each other instead of both reading the
 * old state. All of `work` commits or none of it does. Lock and permission failures become
 * {@link DatabaseUnavailableError}.
 */
export function writeTransaction<T>(db: AppDatabase, work: (tx: AppTransaction) => T): T {
  try {
    return db.transaction(work, { behavior: "immediate" });
  } catch (error) {
    throw DatabaseUnavailableError.from(error, db.$client.name) ?? error;
  }
}
