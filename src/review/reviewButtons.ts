import { UserError } from "../errors.ts";
import { ButtonCodec, type ButtonOf } from "../ui/buttonCodec.ts";

/**
 * An answer to a review card: `review:answer:<ownerId>:<reps>:<choiceIndex>:<questionId>`.
 * `reps` is the card's review count when shown, so a repeated click is recognised; the question
 * id comes last because it is the one part that may contain a colon.
 */
export const reviewButtons = new ButtonCodec("review", {
  answer: { ownerId: "text", reps: "int", choiceIndex: "int", questionId: "rest" },
});

/** First segment of every review button id; the key in the review command's `buttons`. */
export const reviewButtonPrefix = reviewButtons.prefix;

export type ReviewButton = Omit<
  ButtonOf<typeof reviewButtons extends ButtonCodec<infer A> ? A : never>,
  "action"
>;

export function reviewButtonId(button: ReviewButton): string {
  return reviewButtons.encode({ action: "answer", ...button });
}

/**
 * Reads a review button id clicked by `actorId`. Throws a {@link UserError} when it is malformed
 * or belongs to another member.
 */
export function parseReviewButton(customId: string, actorId: string): ReviewButton {
  const button = reviewButtons.decode(customId);
  if (!button) throw new UserError("This review card has moved on — run /review to see what is due now.");
  if (button.ownerId !== actorId)
    throw new UserError("These are someone else's reviews — run /review to see yours.");
  const { action: _action, ...fields } = button;
  return fields;
}
