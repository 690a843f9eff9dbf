import { UserError } from "../errors.ts";

/** `step()` was asked of a walk that has reached its step limit or whose models both ended. */
export class NextTokenWalkFinishedError extends UserError {
  constructor(message = "This walk is finished: start a new one to keep exploring.") {
    super(message);
    this.name = "NextTokenWalkFinishedError";
  }
}
