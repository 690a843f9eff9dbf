import { UserError } from "../../errors.ts";

/** A sampling setting is not a finite number in its range; it is refused before llama.cpp sees it. */
export class SamplingValueError extends UserError {
  constructor(
    /** The setting, as the member knows it (`temperature`, `max_tokens`…). */
    readonly setting: string,
    message = `${setting} has a value that cannot be used.`,
  ) {
    super(message);
    this.name = "SamplingValueError";
  }
}
