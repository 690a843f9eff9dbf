import { and, eq } from "drizzle-orm";
import type { AppDatabase } from "../db/openDatabase.ts";
import { classAnswers, classes } from "../db/schema.ts";
import { writeTransaction } from "../db/writeTransaction.ts";
import { closeOpenRound } from "./closeOpenRound.ts";

/**
 * The skip's transaction: closes the round as skipped and deletes its answers, so it pays no
 * points, writes no review card or streak day, and counts in no total. False if the round was
 * closed already (revealed by the timer or the host, or skipped), so a skip racing the deadline's
 * reveal ends as exactly one of them: whichever transaction comes first.
 */
export async function storeRoundSkip(
  db: AppDatabase,
  round: { classId: string; number: number },
  now: Date,
): Promise<boolean> {
  const { classId, number } = round;
  return writeTransaction(db, (tx) => {
    if (!closeOpenRound(tx, { classId, number }, { revealedAt: now, skippedAt: now })) return false;
    tx.delete(classAnswers)
      .where(and(eq(classAnswers.classId, classId), eq(classAnswers.roundNumber, number)))
      .run();
    tx.update(classes).set({ lastActivityAt: now }).where(eq(classes.id, classId)).run();
    return true;
  });
}
