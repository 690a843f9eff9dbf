import { UserError } from "../errors.ts";

/** First segment of every review button id; the key in the review command's `buttons`. */
export const reviewButtonPrefix = "review";

/**
 * An answer to a review card: `review:answer:<ownerId>:<reps>:<choiceIndex>:<questionId>`.
 * `reps` is the card's review count when shown, so a repeated click is recognised; the question
 * id comes last because it is the one part that may contain a colon.
 */
export interface ReviewButton {
  ownerId: string;
  reps: number;
  /** Index of the choice in the lesson file. */
  choiceIndex: number;
  questionId: string;
}

export function reviewButtonId(button: ReviewButton): string {
  const id = `${reviewButtonPrefix}:answer:${button.ownerId}:${button.reps}:${button.choiceIndex}:${button.questionId}`;
  if (id.length > 100)
    throw new RangeError(`Question id ${button.questionId} is too long for a button id: ${id}`);
  return id;
}

/**
 * Reads a review button id clicked by `actorId`. Throws a {@link UserError} when it is malformed
 * or belongs to another member.
 */
export function parseReviewButton(customId: string, actorId: string): ReviewButton {
  const [prefix, action, ownerId, reps, choiceIndex, ...questionParts] = customId.split(":");
  const questionId = questionParts.join(":");
  if (
    prefix !== reviewButtonPrefix ||
    action !== "answer" ||
    !ownerId ||
    !/^\d+$/.test(reps ?? "") ||
    !/^\d$/.test(choiceIndex ?? "") ||
    questionId === ""
  ) {
    throw new UserError("This review card has moved on — run /review to see what is due now.");
  }
  if (ownerId !== actorId)
    throw new UserError("These are someone else's reviews — run /review to see yours.");
  return { ownerId, reps: Number(reps), choiceIndex: Number(choiceIndex), questionId };
}
