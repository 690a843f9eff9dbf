import type { Logger } from "./logger.ts";

/**
 * Everything command handlers may use, built once in `main.ts` (or a test). Handlers declare the
 * subset they need; each feature adds its own field here.
 */
export interface Services {
  logger: Logger;
  /** Current time; tests pass a fixed clock. */
  now: () => Date;
}
