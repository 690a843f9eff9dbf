import type { AppDatabase } from "./openDatabase.ts";
import { type AppTransaction, writeTransaction } from "./writeTransaction.ts";

export interface GroupCommitOptions {
  /** Most items written by one transaction. Default 500. */
  maxBatch?: number;
}

interface Pending<I, O> {
  item: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Writes items submitted from many interactions in shared transactions (group commit): items that
 * arrive while a transaction runs wait for the next one, so a burst of a thousand clicks costs a
 * handful of commits instead of a thousand. `submit` resolves only after the transaction holding
 * the item has committed, so whoever awaits it may tell the member their write is saved; if the
 * process dies before that, the member was never told. A failed transaction rejects every item in
 * it (none of them was written).
 */
export class GroupCommit<I, O> {
  private queue: Pending<I, O>[] = [];
  private running: Promise<void> | undefined;
  private readonly maxBatch: number;

  constructor(
    private readonly db: AppDatabase,
    /** Writes a batch inside one transaction; returns one output per item, in order. */
    private readonly write: (tx: AppTransaction, items: readonly I[]) => O[],
    options: GroupCommitOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
  }

  /** Queues `item`; resolves with its output once its transaction has committed. */
  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.running ??= this.drain();
    });
  }

  /** Resolves once everything submitted before the call has been written (or has failed). */
  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Items waiting for a transaction. */
  get waiting(): number {
    return this.queue.length;
  }

  private async drain(): Promise<void> {
    try {
      // Let the interactions that arrived in this turn of the event loop join the first batch.
      await new Promise((resolve) => setImmediate(resolve));
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const outputs = await writeTransaction(this.db, (tx) =>
            this.write(
              tx,
              batch.map((pending) => pending.item),
            ),
          );
          for (const [index, pending] of batch.entries()) pending.resolve(outputs[index] as O);
        } catch (error) {
          for (const pending of batch) pending.reject(error);
        }
      }
    } finally {
      this.running = undefined;
    }
  }
}
