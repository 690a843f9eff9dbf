import { and, asc, eq } from "drizzle-orm";
import type { MemberKey } from "../db/MemberKey.ts";
import type { AppDatabase } from "../db/openDatabase.ts";
import { reviewCards } from "../db/schema.ts";
import type { ContentLibrary } from "../lessons/content.ts";
import type { ReviewCardRow } from "./recordCardReview.ts";
import { learnAheadMs } from "./scheduleReview.ts";

export interface ReviewQueue {
  /** Cards due now (within the learn-ahead limit), most overdue first. */
  due: ReviewCardRow[];
  /** When the earliest card that is not due yet becomes due. */
  nextDue: Date | undefined;
}

/**
 * The member's review cards split into due and later. Cards whose question was removed from the
 * content are left out, so nobody is asked a question that no longer exists. Cards due at the
 * same moment (missed in one quiz under one clock reading) come in question order, not in
 * whatever order SQLite happens to return them.
 */
export function loadReviewQueue(
  db: AppDatabase,
  content: ContentLibrary,
  member: MemberKey,
  now: Date,
): ReviewQueue {
  const cards = db
    .select()
    .from(reviewCards)
    .where(and(eq(reviewCards.guildId, member.guildId), eq(reviewCards.userId, member.userId)))
    .orderBy(asc(reviewCards.due), asc(reviewCards.questionId))
    .all()
    .filter((card) => content.getQuestion(card.questionId) !== undefined);
  const horizon = now.getTime() + learnAheadMs;
  return {
    due: cards.filter((card) => card.due.getTime() <= horizon),
    nextDue: cards.find((card) => card.due.getTime() > horizon)?.due,
  };
}
