import { UserError } from "../../errors.ts";

/** A queued job was cancelled before it started. */
export class JobCancelledError extends UserError {
  constructor(message = "Cancelled before it started.") {
    super(message);
    this.name = "JobCancelledError";
  }
}
