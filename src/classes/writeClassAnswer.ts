import { and, eq } from "drizzle-orm";
import { classAnswers } from "../db/schema.ts";
import type { AppTransaction } from "../db/writeTransaction.ts";

/** An answer on its way to the database. */
export interface AnswerWrite {
  classId: string;
  round: number;
  guildId: string;
  userId: string;
  userName: string;
  position: number;
  chosenChoice: number;
  correct: boolean;
  points: number;
  elapsedMs: number;
  answeredAt: Date;
}

/** What the database says about an answer once its transaction committed. */
export type AnswerStored = { duplicate: boolean; position: number };

/**
 * One answer in a batch: the first per member and round is kept. Its review card, streak day and
 * points follow in the reveal's transaction ({@link storeRoundReveal}), so the answer path costs
 * one insert.
 */
export function writeClassAnswer(tx: AppTransaction, item: AnswerWrite): AnswerStored {
  const inserted = tx
    .insert(classAnswers)
    .values({
      classId: item.classId,
      roundNumber: item.round,
      guildId: item.guildId,
      userId: item.userId,
      userName: item.userName,
      position: item.position,
      chosenChoice: item.chosenChoice,
      correct: item.correct,
      points: item.points,
      elapsedMs: item.elapsedMs,
      answeredAt: item.answeredAt,
    })
    .onConflictDoNothing()
    .run();
  if (inserted.changes === 0) {
    const first = tx
      .select({ position: classAnswers.position })
      .from(classAnswers)
      .where(
        and(
          eq(classAnswers.classId, item.classId),
          eq(classAnswers.roundNumber, item.round),
          eq(classAnswers.userId, item.userId),
        ),
      )
      .get();
    return { duplicate: true, position: first?.position ?? item.position };
  }
  return { duplicate: false, position: item.position };
}
