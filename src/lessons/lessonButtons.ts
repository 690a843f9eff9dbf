import { UserError } from "../errors.ts";

/** First segment of every lesson button id; the key in the lesson command's `buttons`. */
export const lessonButtonPrefix = "lesson";

/**
 * What a lesson button does. Everything needed is in the id, so buttons keep working after a
 * restart: `lesson:page:<ownerId>:<snippetIndex>:<lessonId>`, `lesson:done:<ownerId>:<lessonId>`,
 * `lesson:quiz:<ownerId>:<lessonId>`.
 */
export type LessonButton =
  | { action: "page"; ownerId: string; lessonId: string; index: number }
  | { action: "done" | "quiz"; ownerId: string; lessonId: string };

export function lessonButtonId(button: LessonButton): string {
  const id =
    button.action === "page"
      ? `${lessonButtonPrefix}:page:${button.ownerId}:${button.index}:${button.lessonId}`
      : `${lessonButtonPrefix}:${button.action}:${button.ownerId}:${button.lessonId}`;
  if (id.length > 100)
    throw new RangeError(`Lesson id ${button.lessonId} is too long for a button id: ${id}`);
  return id;
}

/**
 * Reads a lesson button id clicked by `actorId`. Throws a {@link UserError} when it is malformed
 * or the lesson was opened by another member.
 */
export function parseLessonButton(customId: string, actorId: string): LessonButton {
  const button = readLessonButton(customId);
  if (!button) throw new UserError("This button is out of date — run /lesson to open a lesson.");
  if (button.ownerId !== actorId) {
    throw new UserError(
      `This lesson was opened by someone else — run /lesson name:${button.lessonId} to read it yourself.`,
    );
  }
  return button;
}

function readLessonButton(customId: string): LessonButton | undefined {
  const [prefix, action, ownerId, ...rest] = customId.split(":");
  if (prefix !== lessonButtonPrefix || !ownerId) return undefined;
  if (action === "page") {
    const [index, lessonId] = rest;
    if (!lessonId || rest.length !== 2 || !/^\d{1,3}$/.test(index ?? "")) return undefined;
    return { action, ownerId, lessonId, index: Number(index) };
  }
  const [lessonId] = rest;
  if ((action === "done" || action === "quiz") && lessonId && rest.length === 1)
    return { action, ownerId, lessonId };
  return undefined;
}
