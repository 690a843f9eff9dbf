import { UserError } from "../../errors.ts";

/** The queue is shutting down: new jobs are refused and queued ones are dropped. */
export class QueueClosedError extends UserError {
  constructor(message = "The bot is restarting; please try again in a moment.") {
    super(message);
    this.name = "QueueClosedError";
  }
}
