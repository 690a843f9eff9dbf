import { UserError } from "../errors.ts";
import { ButtonCodec, type ButtonOf } from "../ui/buttonCodec.ts";

/**
 * Class buttons: host controls `class:<action>:<classId>` on the stage message, answers
 * `class:answer:<classId>:<round>:<position>`, `class:reveal:<classId>:<round>` and
 * `class:skip:<classId>:<round>` on a question,
 * `class:rank:<classId>` on the final scoreboard, and the menu `class:past` of `/class history`
 * whose value is a class id. The class itself is in the database, so
 * every button keeps working after a restart.
 */
export const classButtons = new ButtonCodec("class", {
  prev: { classId: "text" },
  next: { classId: "text" },
  demo: { classId: "text" },
  question: { classId: "text" },
  scores: { classId: "text" },
  end: { classId: "text" },
  answer: { classId: "text", round: "int", position: "int" },
  reveal: { classId: "text", round: "int" },
  skip: { classId: "text", round: "int" },
  rank: { classId: "text" },
  past: {},
});

export type ClassButton = ButtonOf<typeof classButtons extends ButtonCodec<infer A> ? A : never>;

export function classButtonId(button: ClassButton): string {
  return classButtons.encode(button);
}

/** What a button of an ended (or unknown) class says. */
export const classEndedMessage = "This class has ended. A host can start a new one with /class start.";

/** Reads a class button id; anything malformed is treated as a button of an ended class. */
export function parseClassButton(customId: string): ClassButton {
  const button = classButtons.decode(customId);
  if (!button) throw new UserError(classEndedMessage);
  return button;
}
