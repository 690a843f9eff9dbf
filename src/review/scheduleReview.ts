import { type Card, createEmptyCard, fsrs, Rating, type RecordLogItem } from "ts-fsrs";

/**
 * One short (re)learning step: a missed question comes back a minute later, so it is waiting in
 * /review right after the quiz; a right answer graduates straight to days. The library's default
 * second step (10 minutes) would keep a correct answer in the queue the same evening.
 */
const scheduler = fsrs({ learning_steps: ["1m"], relearning_steps: ["1m"], enable_fuzz: false });

/**
 * Cards due this soon count as due now (Anki's "learn ahead" limit), so a question missed a
 * moment ago can be reviewed without waiting.
 */
export const learnAheadMs = 20 * 60 * 1000;

/** Wrong answers are forgotten (Again); right ones remembered (Good). */
export function ratingFor(correct: boolean): Rating.Again | Rating.Good {
  return correct ? Rating.Good : Rating.Again;
}

/** Schedules the next review of `card` (a new card when undefined) after an answer at `now`. */
export function scheduleReview(card: Card | undefined, correct: boolean, now: Date): RecordLogItem {
  return scheduler.next(card ?? createEmptyCard(now), now, ratingFor(correct));
}
