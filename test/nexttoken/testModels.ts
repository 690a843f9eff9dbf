import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** `TEST_MODELS_DIR`, or `../shared/models` beside the repository. */
export const TEST_MODELS_DIR =
  process.env.TEST_MODELS_DIR ?? resolve(dirname(fileURLToPath(import.meta.url)), "../../../shared/models");

/** The path of a test model and whether it is there; tests skip (visibly) when it is not. */
export function testModel(file: string): { path: string; present: boolean; skipReason: string } {
  const path = join(TEST_MODELS_DIR, file);
  const present = existsSync(path);
  return { path, present, skipReason: present ? "" : ` (skipped: ${path} not found; set TEST_MODELS_DIR)` };
}
