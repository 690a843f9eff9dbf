/**
 * An expected failure caused by what the member did (bad option, stale button, cooldown…).
 * The message is shown to them, ephemerally and politely; nothing is logged as an error.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UserError";
  }
}
