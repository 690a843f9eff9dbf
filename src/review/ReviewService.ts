import { and, eq } from "drizzle-orm";
import type { MemberKey } from "../db/MemberKey.ts";
import type { AppDatabase } from "../db/openDatabase.ts";
import { reviewLogs } from "../db/schema.ts";
import { writeTransaction } from "../db/writeTransaction.ts";
import { UserError } from "../errors.ts";
import type { ContentLibrary, Question } from "../lessons/content.ts";
import { recordActivityDay } from "../progress/recordActivityDay.ts";
import { seededRandom, shuffle } from "../random.ts";
import { loadReviewQueue } from "./loadReviewQueue.ts";
import { findReviewCard, recordCardReview } from "./recordCardReview.ts";

const reviewGone = "This review card has moved on — run /review to see what is due now.";

export interface ReviewServiceOptions {
  db: AppDatabase;
  content: ContentLibrary;
  now: () => Date;
}

/** A due card to answer. */
export interface ReviewCardStep {
  kind: "card";
  question: Question;
  /** Title of the question's lesson. */
  lessonTitle: string;
  /** Original choice indexes in display order (stable for a given card state). */
  choiceOrder: number[];
  /** The card's review count; answering buttons carry it so a repeated click counts once. */
  reps: number;
  /** Due cards including this one. */
  dueCount: number;
}

/** Nothing is due. */
export interface ReviewCaughtUpStep {
  kind: "caughtUp";
  /** When the next card becomes due; undefined when the member has no cards at all. */
  nextDue: Date | undefined;
  now: Date;
}

export type ReviewNextStep = ReviewCardStep | ReviewCaughtUpStep;

/** A graded review answer and what comes next. */
export interface ReviewAnswerStep {
  kind: "answer";
  /** True when this card state was already answered; nothing changed. */
  duplicate: boolean;
  question: Question;
  /** Index of the chosen choice in `question.choices`. */
  chosenIndex: number;
  correctIndex: number;
  correct: boolean;
  /** When this card comes back. */
  dueAgain: Date;
  answeredAt: Date;
  next: ReviewNextStep;
}

/** Spaced repetition over every question a member has answered (ts-fsrs). */
export class ReviewService {
  readonly #db: AppDatabase;
  readonly #content: ContentLibrary;
  readonly #now: () => Date;

  constructor(options: ReviewServiceOptions) {
    this.#db = options.db;
    this.#content = options.content;
    this.#now = options.now;
  }

  /** The most overdue card, or when the next one is due. */
  next(member: MemberKey): ReviewNextStep {
    return this.#nextStep(member, this.#now());
  }

  /**
   * Grades `choiceIndex` (index in the lesson file) for the member's card on `questionId` and
   * reschedules it, if the card is still at review count `reps`; otherwise the click is a repeat
   * and the earlier answer is returned with `duplicate: true`.
   */
  async answer(
    member: MemberKey,
    click: { questionId: string; reps: number; choiceIndex: number },
  ): Promise<ReviewAnswerStep> {
    const now = this.#now();
    const question = this.#content.getQuestion(click.questionId);
    if (!question) throw new UserError(reviewGone);
    const correctIndex = question.choices.findIndex((choice) => choice.correct);
    if (question.choices[click.choiceIndex] === undefined) throw new UserError(reviewGone);

    const result = await writeTransaction(this.#db, (tx) => {
      const card = findReviewCard(tx, member, click.questionId);
      if (!card) throw new UserError(reviewGone);
      if (card.reps !== click.reps) {
        const earlier = tx
          .select()
          .from(reviewLogs)
          .where(
            and(
              eq(reviewLogs.guildId, member.guildId),
              eq(reviewLogs.userId, member.userId),
              eq(reviewLogs.questionId, click.questionId),
              eq(reviewLogs.cardReps, click.reps),
            ),
          )
          .get();
        if (!earlier) throw new UserError(reviewGone);
        return {
          duplicate: true,
          chosenIndex: earlier.chosenChoice,
          correct: earlier.correct,
          dueAgain: card.due,
        };
      }
      const correct = click.choiceIndex === correctIndex;
      const updated = recordCardReview(tx, member, {
        questionId: click.questionId,
        chosenChoice: click.choiceIndex,
        correct,
        source: "review",
        at: now,
      });
      recordActivityDay(tx, member, now);
      return { duplicate: false, chosenIndex: click.choiceIndex, correct, dueAgain: updated.due };
    });
    return {
      kind: "answer",
      ...result,
      question,
      correctIndex,
      answeredAt: now,
      next: this.#nextStep(member, now, click.questionId),
    };
  }

  /** `skipQuestionId`: the card just answered, which may be due again within minutes. */
  #nextStep(member: MemberKey, now: Date, skipQuestionId?: string): ReviewNextStep {
    const queue = loadReviewQueue(this.#db, this.#content, member, now);
    const due = queue.due.filter((card) => card.questionId !== skipQuestionId);
    const card = due[0];
    const question = card && this.#content.getQuestion(card.questionId);
    if (!card || !question) {
      const skipped = queue.due.find((candidate) => candidate.questionId === skipQuestionId);
      return { kind: "caughtUp", nextDue: skipped?.due ?? queue.nextDue, now };
    }
    const order = shuffle(
      question.choices.map((_, index) => index),
      seededRandom(`${card.questionId}:${card.reps}`),
    );
    return {
      kind: "card",
      question,
      lessonTitle: this.#content.getLesson(question.lessonId)?.title ?? question.lessonId,
      choiceOrder: order,
      reps: card.reps,
      dueCount: due.length,
    };
  }
}
