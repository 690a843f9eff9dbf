import { eq } from "drizzle-orm";
import type { AppDatabase } from "../db/openDatabase.ts";
import { compareRuns } from "../db/schema.ts";
import { writeTransaction } from "../db/writeTransaction.ts";
import { writeTransactionOnce } from "../db/writeTransactionOnce.ts";
import type { CompareMode, CompareSide } from "./CompareEngine.ts";

/** A finished side as stored in `compare_runs.results`. */
export interface StoredSide {
  key: CompareSide["key"];
  label: string;
  text: string;
  stats?: CompareSide["stats"];
  error?: string;
}

/** One stored comparison. */
export type CompareRecord = typeof compareRuns.$inferSelect;

/** What is known of a run when it starts. */
export interface NewCompareRun {
  id: string;
  guildId: string;
  channelId: string;
  userId: string;
  prompt: string;
  /** The model pair's id. */
  pairId: string;
  mode: CompareMode;
  sampling: { temperature: number; topP: number; maxTokens: number; seed: number };
  blind: boolean;
  /** The exact text each model received, by side. */
  promptsShown: Record<string, string>;
  createdAt: Date;
}

/**
 * Comparisons in SQLite: the settings and exact prompts at start, the outcome at the end, so Show
 * prompts and Re-roll work after a restart. A run is never left "running" by a clean shutdown,
 * and one left so by a crash is marked interrupted at the next start.
 */
export class CompareRunStore {
  constructor(private readonly db: AppDatabase) {}

  /** Records a run as it starts (waits, without blocking, for another writer's lock). */
  async start(run: NewCompareRun): Promise<void> {
    await writeTransaction(this.db, (tx) => {
      tx.insert(compareRuns)
        .values({
          id: run.id,
          guildId: run.guildId,
          channelId: run.channelId,
          userId: run.userId,
          prompt: run.prompt,
          pairId: run.pairId,
          mode: run.mode,
          temperature: run.sampling.temperature,
          topP: run.sampling.topP,
          maxTokens: run.sampling.maxTokens,
          seed: run.sampling.seed,
          blind: run.blind,
          status: "running",
          promptsShown: run.promptsShown,
          createdAt: run.createdAt,
        })
        .run();
    });
  }

  async finish(
    id: string,
    status: "finished" | "failed" | "interrupted",
    sides: StoredSide[],
    at: Date,
  ): Promise<void> {
    await writeTransaction(this.db, (tx) => {
      tx.update(compareRuns)
        .set({ status, results: sides, finishedAt: at })
        .where(eq(compareRuns.id, id))
        .run();
    });
  }

  get(id: string): CompareRecord | undefined {
    return this.db.select().from(compareRuns).where(eq(compareRuns.id, id)).get();
  }

  /**
   * Marks every run still "running" as interrupted (a crash left them so); returns how many. At
   * start and at shutdown only, so it takes the lock at once rather than waiting for it.
   */
  markInterrupted(at: Date): number {
    return writeTransactionOnce(this.db, (tx) =>
      tx
        .update(compareRuns)
        .set({ status: "interrupted", finishedAt: at })
        .where(eq(compareRuns.status, "running"))
        .run(),
    ).changes;
  }
}

/** The sides of a stored run as they were when it ended. */
export function storedSides(record: CompareRecord): StoredSide[] {
  return (record.results ?? []) as StoredSide[];
}
