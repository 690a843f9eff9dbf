import { UserError } from "../../errors.ts";

/**
 * The job could not finish before its deadline (for Discord, the 15-minute life of the interaction
 * token), so it was refused rather than left to run for nobody.
 */
export class DeadlineError extends UserError {
  constructor(
    readonly estimatedWaitMs: number,
    message = `The queue is too long to finish in time (about ${Math.max(1, Math.ceil(estimatedWaitMs / 60_000))} min wait). Please try again later.`,
  ) {
    super(message);
    this.name = "DeadlineError";
  }
}
