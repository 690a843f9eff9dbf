/**
 * What went wrong talking to an inference engine, in words an operator (and, through `/compare`,
 * a member) can act on. The message always names the server by its URL; it never carries the API key.
 */
export type EngineFault =
  /** Nothing listens at the URL, or the host cannot be reached. */
  | "unreachable"
  /** No answer (or no next piece of a streamed answer) within the time limit. */
  | "timeout"
  /** The server answered with a 4xx or 5xx status. */
  | "status"
  /** The answer is not what the protocol says (not JSON, missing fields, malformed events). */
  | "protocol"
  /** The connection closed before the answer was complete. */
  | "disconnected"
  /** The server does not offer what was asked (no probabilities, no tokenizer…). */
  | "unsupported";

export class EngineError extends Error {
  constructor(
    readonly fault: EngineFault,
    message: string,
    /** HTTP status, for `status` faults. */
    readonly status?: number,
  ) {
    super(message);
    this.name = "EngineError";
  }
}
