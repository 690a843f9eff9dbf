import { and, eq } from "drizzle-orm";
import type { Card } from "ts-fsrs";
import type { MemberKey } from "../db/MemberKey.ts";
import { reviewCards, reviewLogs } from "../db/schema.ts";
import type { AppTransaction } from "../db/writeTransaction.ts";
import { scheduleReview } from "./scheduleReview.ts";

export type ReviewCardRow = typeof reviewCards.$inferSelect;

export interface CardReview {
  questionId: string;
  /** Index of the chosen choice in the lesson file. */
  chosenChoice: number;
  correct: boolean;
  source: "quiz" | "review" | "class";
  at: Date;
}

/** Reads a member's card for a question, if they ever answered it. */
export function findReviewCard(
  tx: AppTransaction,
  member: MemberKey,
  questionId: string,
): ReviewCardRow | undefined {
  return tx
    .select()
    .from(reviewCards)
    .where(
      and(
        eq(reviewCards.guildId, member.guildId),
        eq(reviewCards.userId, member.userId),
        eq(reviewCards.questionId, questionId),
      ),
    )
    .get();
}

/**
 * Schedules the member's card for the question after an answer (creating the card on a first
 * answer) and logs the step. Call inside the transaction that records the answer.
 */
export function recordCardReview(tx: AppTransaction, member: MemberKey, review: CardReview): Card {
  const existing = findReviewCard(tx, member, review.questionId);
  const { card, log } = scheduleReview(existing ? toCard(existing) : undefined, review.correct, review.at);
  const columns = {
    due: card.due,
    stability: card.stability,
    difficulty: card.difficulty,
    elapsedDays: card.elapsed_days,
    scheduledDays: card.scheduled_days,
    learningSteps: card.learning_steps,
    reps: card.reps,
    lapses: card.lapses,
    state: card.state,
    lastReview: card.last_review ?? null,
  };
  tx.insert(reviewCards)
    .values({ ...member, questionId: review.questionId, ...columns })
    .onConflictDoUpdate({
      target: [reviewCards.guildId, reviewCards.userId, reviewCards.questionId],
      set: columns,
    })
    .run();
  tx.insert(reviewLogs)
    .values({
      ...member,
      questionId: review.questionId,
      source: review.source,
      cardReps: existing?.reps ?? 0,
      chosenChoice: review.chosenChoice,
      correct: review.correct,
      rating: log.rating,
      state: log.state,
      due: log.due,
      stability: log.stability,
      difficulty: log.difficulty,
      elapsedDays: log.elapsed_days,
      lastElapsedDays: log.last_elapsed_days,
      scheduledDays: log.scheduled_days,
      learningSteps: log.learning_steps,
      reviewedAt: log.review,
    })
    .run();
  return card;
}

function toCard(row: ReviewCardRow): Card {
  return {
    due: row.due,
    stability: row.stability,
    difficulty: row.difficulty,
    elapsed_days: row.elapsedDays,
    scheduled_days: row.scheduledDays,
    learning_steps: row.learningSteps,
    reps: row.reps,
    lapses: row.lapses,
    state: row.state,
    ...(row.lastReview ? { last_review: row.lastReview } : {}),
  };
}
