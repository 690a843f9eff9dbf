import { UserError } from "../../errors.ts";
import type { ModelRole, ModelStatus } from "../LocalModels.ts";

function describe(role: ModelRole, status: ModelStatus): string {
  switch (status.state) {
    case "loading":
    case "downloading":
      return "The models are still loading. Try again in a minute.";
    case "missing":
      return `The ${role} model is not installed on this server yet; the bot's operator needs to download it.`;
    default:
      return `The ${role} model could not be loaded; the bot's operator needs to fix its configuration.`;
  }
}

/** A model was asked for before it was ready. The message suits members; {@link status} has the detail for logs. */
export class ModelNotReadyError extends UserError {
  constructor(
    readonly role: ModelRole,
    readonly status: ModelStatus,
    message = describe(role, status),
  ) {
    super(message);
    this.name = "ModelNotReadyError";
  }
}
