import { and, eq } from "drizzle-orm";
import type { AppDatabase } from "../db/openDatabase.ts";
import { classAnswers, classes } from "../db/schema.ts";
import { writeTransaction } from "../db/writeTransaction.ts";
import { awardPoints } from "../progress/awardPoints.ts";
import { recordActivityDay } from "../progress/recordActivityDay.ts";
import { recordCardReview } from "../review/recordCardReview.ts";
import { closeOpenRound } from "./closeOpenRound.ts";
import { leaderboardPoints } from "./scoreAnswer.ts";

/**
 * The reveal's transaction: marks the round revealed and, once, pays what its answers earned:
 * each answer's review card and streak day, and the right answers' leaderboard points. False if
 * the round was revealed already (by the timer or the host, whichever came second).
 */
export async function storeRoundReveal(
  db: AppDatabase,
  round: { classId: string; number: number; questionId: string },
  now: Date,
): Promise<boolean> {
  const { classId, number } = round;
  return writeTransaction(db, (tx) => {
    if (!closeOpenRound(tx, { classId, number }, { revealedAt: now })) return false;
    const answers = tx
      .select()
      .from(classAnswers)
      .where(and(eq(classAnswers.classId, classId), eq(classAnswers.roundNumber, number)))
      .all();
    for (const answer of answers) {
      const member = { guildId: answer.guildId, userId: answer.userId };
      // Here rather than on the answer path: a burst of clicks then costs one insert each.
      recordCardReview(tx, member, {
        questionId: round.questionId,
        chosenChoice: answer.chosenChoice,
        correct: answer.correct,
        source: "class",
        at: answer.answeredAt,
      });
      recordActivityDay(tx, member, answer.answeredAt);
      if (!answer.correct) continue;
      awardPoints(tx, member, {
        points: leaderboardPoints(answer.points),
        kind: "class_correct",
        sourceKey: `class:${classId}:${number}:${answer.userId}`,
        at: now,
      });
    }
    tx.update(classes).set({ lastActivityAt: now }).where(eq(classes.id, classId)).run();
    return true;
  });
}
