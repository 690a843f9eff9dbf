import { UserError } from "../errors.ts";
import { ButtonCodec, type ButtonOf } from "../ui/buttonCodec.ts";

/**
 * Quiz buttons: `quiz:answer:<runId>:<questionIndex>:<position>`, `quiz:next:<runId>` and
 * `quiz:finish:<runId>`; the run itself (owner included) is in the database.
 */
export const quizButtons = new ButtonCodec("quiz", {
  answer: { runId: "text", questionIndex: "int", position: "int" },
  next: { runId: "text" },
  finish: { runId: "text" },
});

/** First segment of every quiz button id; the key in the quiz command's `buttons`. */
export const quizButtonPrefix = quizButtons.prefix;

export type QuizButton = ButtonOf<typeof quizButtons extends ButtonCodec<infer A> ? A : never>;

export function quizButtonId(button: QuizButton): string {
  return quizButtons.encode(button);
}

/** Reads a quiz button id; anything malformed is treated as a button from an ended quiz. */
export function parseQuizButton(customId: string): QuizButton {
  const button = quizButtons.decode(customId);
  if (!button) throw new UserError("This quiz has ended — start a new one with /quiz.");
  return button;
}
