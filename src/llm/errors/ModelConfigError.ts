/**
 * The configured models cannot serve `/compare` as set up, and no retry will help: the operator
 * must change BASE_MODEL / INSTRUCT_MODEL. Not a {@link UserError}: members only see a generic apology.
 */
export class ModelConfigError extends Error {
  constructor(message = "The configured models cannot be used; check BASE_MODEL and INSTRUCT_MODEL.") {
    super(message);
    this.name = "ModelConfigError";
  }
}
