import { UserError } from "../errors.ts";

/** First segment of every quiz button id; the key in the quiz command's `buttons`. */
export const quizButtonPrefix = "quiz";

/**
 * What a quiz button does. Ids are `quiz:answer:<runId>:<questionIndex>:<position>`,
 * `quiz:next:<runId>` and `quiz:finish:<runId>`; the run itself (owner included) is in the database.
 */
export type QuizButton =
  | { action: "answer"; runId: string; questionIndex: number; position: number }
  | { action: "next"; runId: string }
  | { action: "finish"; runId: string };

export function quizButtonId(button: QuizButton): string {
  return button.action === "answer"
    ? `${quizButtonPrefix}:answer:${button.runId}:${button.questionIndex}:${button.position}`
    : `${quizButtonPrefix}:${button.action}:${button.runId}`;
}

/** Reads a quiz button id; anything malformed is treated as a button from an ended quiz. */
export function parseQuizButton(customId: string): QuizButton {
  const [prefix, action, runId, index, position, ...rest] = customId.split(":");
  if (prefix === quizButtonPrefix && runId && rest.length === 0) {
    if (action === "answer" && isIndex(index) && isIndex(position)) {
      return { action, runId, questionIndex: Number(index), position: Number(position) };
    }
    if ((action === "next" || action === "finish") && index === undefined) return { action, runId };
  }
  throw new UserError("This quiz has ended — start a new one with /quiz.");
}

function isIndex(value: string | undefined): value is string {
  return value !== undefined && /^\d{1,3}$/.test(value);
}
