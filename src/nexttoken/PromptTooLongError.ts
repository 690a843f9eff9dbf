import { UserError } from "../errors.ts";

/** Which model of a next-token walk a prompt belongs to. */
export type NextTokenSideName = "base" | "instruct";

/** A prompt has more tokens than a next-token walk accepts. */
export class PromptTooLongError extends UserError {
  constructor(
    /** The most prompt tokens accepted. */
    readonly limit: number,
    /** How many tokens the prompt has. */
    readonly tokenCount: number,
    /** The side whose prompt is too long; the instruct prompt includes its chat template. */
    readonly side: NextTokenSideName,
  ) {
    const counted = side === "instruct" ? "inside the chat template" : "as raw text";
    super(
      `That prompt is ${tokenCount} tokens long ${counted}; the limit is ${limit} tokens. Try a shorter one.`,
    );
    this.name = "PromptTooLongError";
  }
}
