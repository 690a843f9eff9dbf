import type { Question } from "../lessons/content.ts";
import { type RandomSource, shuffle } from "../random.ts";

/** Which questions a quiz asks, and in which order each shows its choices. */
export interface QuizPlan {
  questionIds: string[];
  /** Per question, original choice indexes in display order. */
  choiceOrders: number[][];
  /** How many questions were asked for; more than `questionIds.length` when too few exist. */
  requested: number;
}

/** Picks up to `requested` questions at random and shuffles each one's choices. */
export function planQuiz(questions: readonly Question[], requested: number, random: RandomSource): QuizPlan {
  const picked = shuffle(questions, random).slice(0, requested);
  return {
    questionIds: picked.map((question) => question.id),
    choiceOrders: picked.map((question) =>
      shuffle(
        question.choices.map((_, index) => index),
        random,
      ),
    ),
    requested,
  };
}
