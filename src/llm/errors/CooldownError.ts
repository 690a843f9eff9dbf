import { UserError } from "../../errors.ts";

/** A member asked again before their cooldown ran out. */
export class CooldownError extends UserError {
  constructor(
    readonly secondsLeft: number,
    message = `Please wait ${secondsLeft} more second${secondsLeft === 1 ? "" : "s"} before the next comparison.`,
  ) {
    super(message);
    this.name = "CooldownError";
  }
}
