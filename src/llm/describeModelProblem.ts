import type { ModelNotReadyError } from "./errors/ModelNotReadyError.ts";

/**
 * What members are told when a model-backed command (`/compare`, `/nexttoken`) cannot run because
 * a model is missing, failed to load or is misconfigured: what is wrong, the setting involved and
 * how the bot's operator fixes it.
 */
export function describeModelProblem(error: ModelNotReadyError): string {
  const { status, role } = error;
  const variable = role === "base" ? "BASE_MODEL" : "INSTRUCT_MODEL";
  switch (status.state) {
    case "missing":
      return `The ${role} model file is missing: ${status.file}. The bot's operator can get it with \`npm run models:pull\` (or point ${variable} at a GGUF file). Lessons and quizzes still work.`;
    case "failed":
      return `The ${role} model could not be loaded (${status.reason}). Check ${variable}; \`npm run models:pull\` downloads the default. Lessons and quizzes still work.`;
    case "misconfigured":
      return `${status.error.message} Lessons and quizzes still work.`;
    default:
      return error.message;
  }
}
