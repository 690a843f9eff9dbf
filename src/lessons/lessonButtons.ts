import { UserError } from "../errors.ts";
import { ButtonCodec, type ButtonOf } from "../ui/buttonCodec.ts";

/**
 * Lesson buttons: `lesson:page:<ownerId>:<snippetIndex>:<lessonId>`, `lesson:done:<ownerId>:<lessonId>`,
 * `lesson:quiz:<ownerId>:<lessonId>`. Everything needed is in the id, so buttons keep working
 * after a restart.
 */
export const lessonButtons = new ButtonCodec("lesson", {
  page: { ownerId: "text", index: "int", lessonId: "text" },
  done: { ownerId: "text", lessonId: "text" },
  quiz: { ownerId: "text", lessonId: "text" },
});

/** First segment of every lesson button id; the key in the lesson command's `buttons`. */
export const lessonButtonPrefix = lessonButtons.prefix;

export type LessonButton = ButtonOf<typeof lessonButtons extends ButtonCodec<infer A> ? A : never>;

export function lessonButtonId(button: LessonButton): string {
  return lessonButtons.encode(button);
}

/**
 * Reads a lesson button id clicked by `actorId`. Throws a {@link UserError} when it is malformed
 * or the lesson was opened by another member.
 */
export function parseLessonButton(customId: string, actorId: string): LessonButton {
  const button = lessonButtons.decode(customId);
  if (!button) throw new UserError("This button is out of date — run /lesson to open a lesson.");
  if (button.ownerId !== actorId) {
    throw new UserError(
      `This lesson was opened by someone else — run /lesson name:${button.lessonId} to read it yourself.`,
    );
  }
  return button;
}

/**
 * A lesson's "Try it" button: `tryit:<kind>:<lessonId>:<demoIndex>` runs one of the lesson's demos
 * in the channel. The kind is in the id so the runtime knows how to acknowledge before loading the
 * lesson. Anyone may press it.
 */
export const tryItButtons = new ButtonCodec("tryit", {
  compare: { lessonId: "text", index: "int" },
  nexttoken: { lessonId: "text", index: "int" },
  template: { lessonId: "text", index: "int" },
});
