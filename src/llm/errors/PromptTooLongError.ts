import { UserError } from "../../errors.ts";

/** The prompt has more tokens than the configured limit. */
export class PromptTooLongError extends UserError {
  constructor(
    readonly tokens: number,
    readonly limit: number,
    message = `Your prompt is ${tokens} tokens long; the limit is ${limit} tokens. Please shorten it.`,
  ) {
    super(message);
    this.name = "PromptTooLongError";
  }
}
