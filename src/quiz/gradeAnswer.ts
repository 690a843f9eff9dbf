import { UserError } from "../errors.ts";
import type { Question } from "../lessons/content.ts";

export interface GradedAnswer {
  /** Index of the chosen choice in `question.choices`. */
  chosenIndex: number;
  /** Index of the correct choice in `question.choices`. */
  correctIndex: number;
  correct: boolean;
}

/**
 * Grades the choice shown at `position` when the choices were displayed in `choiceOrder`
 * (original indexes in display order). Throws a {@link UserError} when the position or order no
 * longer fits the question, which happens only if the lesson file changed under an open quiz.
 */
export function gradeAnswer(
  question: Question,
  choiceOrder: readonly number[],
  position: number,
): GradedAnswer {
  const chosenIndex = choiceOrder[position];
  const correctIndex = question.choices.findIndex((choice) => choice.correct);
  if (
    chosenIndex === undefined ||
    choiceOrder.length !== question.choices.length ||
    question.choices[chosenIndex] === undefined ||
    correctIndex < 0
  ) {
    throw new UserError("This question changed since it was asked — start a new quiz with /quiz.");
  }
  return { chosenIndex, correctIndex, correct: chosenIndex === correctIndex };
}
