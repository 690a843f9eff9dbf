import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { ModelRole } from "../src/llm/LocalModels.ts";
import { writeTinyGguf } from "../test/support/tinyGguf.ts";
import type { BenchSettings } from "./readBenchSettings.ts";

/** Where a model came from: a `BENCH_*_MODEL` variable, the shared test models, or the tiny self-built GGUF. */
export type BenchModelSource = "env" | "shared" | "tiny";

export interface BenchModel {
  role: ModelRole;
  path: string;
  source: BenchModelSource;
}

export interface BenchModels {
  base: BenchModel;
  instruct: BenchModel;
  /** Said in the output: which model fell back to the tiny GGUF, and why. */
  notes: string[];
  /** Removes the temporary folder of the tiny GGUFs, if one was written. */
  remove(): void;
}

const sharedFiles: Record<ModelRole, string> = {
  base: "stories260K.gguf",
  instruct: "stories260K-chatml.gguf",
};
const variables: Record<ModelRole, string> = { base: "BENCH_BASE_MODEL", instruct: "BENCH_INSTRUCT_MODEL" };

/**
 * Picks each role's GGUF: the `BENCH_*_MODEL` file when set (a missing file is an error, not a
 * fallback), else the shared test model, else the tiny GGUF of `test/support/tinyGguf.ts` written to
 * a temporary folder, whose figures say nothing about a real model.
 */
export async function locateBenchModels(settings: BenchSettings): Promise<BenchModels> {
  const notes: string[] = [];
  let tinyFolder: string | undefined;
  const pick = async (role: ModelRole, fromEnv: string | undefined): Promise<BenchModel> => {
    if (fromEnv !== undefined) {
      const path = resolve(fromEnv);
      if (!existsSync(path)) throw new Error(`${variables[role]}: no file at ${path}`);
      return { role, path, source: "env" };
    }
    const shared = join(settings.modelsDir, sharedFiles[role]);
    if (existsSync(shared)) return { role, path: shared, source: "shared" };
    tinyFolder ??= mkdtempSync(join(tmpdir(), "lm-tutor-bench-models-"));
    const path = await writeTinyGguf(join(tinyFolder, `tiny-${role}.gguf`), { name: `tiny-${role}` });
    notes.push(
      `${sharedFiles[role]} is not in ${settings.modelsDir} (set BENCH_MODELS_DIR or ${variables[role]}): ` +
        `the ${role} side uses the tiny self-built GGUF (test/support/tinyGguf.ts) at ${path}; ` +
        "its figures only show the bot's overhead, not a real model's speed.",
    );
    return { role, path, source: "tiny" };
  };
  return {
    base: await pick("base", settings.baseModel),
    instruct: await pick("instruct", settings.instructModel),
    notes,
    remove: () => {
      if (tinyFolder) rmSync(tinyFolder, { recursive: true, force: true });
    },
  };
}
