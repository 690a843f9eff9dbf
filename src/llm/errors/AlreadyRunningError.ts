import { UserError } from "../../errors.ts";

/** A member already has a job queued or running; each member gets one at a time. */
export class AlreadyRunningError extends UserError {
  constructor(
    message = "You already have a comparison running or queued. Wait for it to finish, or stop it.",
  ) {
    super(message);
    this.name = "AlreadyRunningError";
  }
}
