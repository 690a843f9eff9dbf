import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { defaultThreads } from "../src/llm/LocalModels.ts";

/** The repository's root folder (the parent of `bench/`). */
export const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export interface BenchSettings {
  /** `BENCH_MODELS_DIR`: where `stories260K.gguf` and `stories260K-chatml.gguf` are looked for. Default `../shared/models` beside the repository. */
  modelsDir: string;
  /** `BENCH_BASE_MODEL`: a GGUF file for the base side instead of the shared one. Default: none. */
  baseModel: string | undefined;
  /** `BENCH_INSTRUCT_MODEL`: a GGUF file (with a chat template) for the instruct side. Default: none. */
  instructModel: string | undefined;
  /** `BENCH_THREADS`: CPU threads of one generation, for both paths. Default: what the bot uses (cores − 1, at least 1). */
  threads: number;
  /** `BENCH_TOKENS`: tokens per generation run; capped by the context. Default 400. */
  tokens: number;
  /** `BENCH_ROUNDS`: rounds per model (one bare run and one bot run each); fewer (at least 3) when a model is slow. Default 15. */
  rounds: number;
  /** `BENCH_COMPARE_RUNS`: measured `/compare` runs (after one warm-up); fewer when they are slow. Default 10. */
  compareRuns: number;
  /** `BENCH_COMPARE_MAX_TOKENS`: `max_tokens` of each `/compare`. Default 200. */
  compareMaxTokens: number;
  /** `BENCH_INTERACTIONS`: interactions per row of the interaction table. Default 200. */
  interactionsPerRow: number;
  /** `BENCH_MEMORY_RUNS`: how many times `npm run bench:memory` measures the memory table. Default 1. */
  memoryRuns: number;
  /**
   * `BENCH_PYTHON`: a Python with `gguf` and `numpy` for building the memory table's models.
   * Default: a virtual environment in the cache folder, made on first use.
   */
  python: string | undefined;
  /** `BENCH_CLASS_MEMBERS`: members answering one class question in the burst rows. Default 1000. */
  classMembers: number;
  /** `BENCH_CLASS_SPREAD_MS`: over how many ms the first burst row's clicks arrive (the second: all at once). Default 2000. */
  classSpreadMs: number;
}

const count = (fallback: number) =>
  z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.coerce.number().int("must be a whole number").min(1, "must be at least 1").default(fallback),
  );
const optionalText = z.preprocess((value) => (value === "" ? undefined : value), z.string().optional());

const schema = z.object({
  BENCH_MODELS_DIR: optionalText,
  BENCH_BASE_MODEL: optionalText,
  BENCH_INSTRUCT_MODEL: optionalText,
  BENCH_THREADS: count(defaultThreads()),
  BENCH_TOKENS: count(400),
  BENCH_ROUNDS: count(15),
  BENCH_COMPARE_RUNS: count(10),
  BENCH_COMPARE_MAX_TOKENS: count(200),
  BENCH_INTERACTIONS: count(200),
  BENCH_MEMORY_RUNS: count(1),
  BENCH_PYTHON: optionalText,
  BENCH_CLASS_MEMBERS: count(1000),
  BENCH_CLASS_SPREAD_MS: count(2000),
});

/** The benchmark's settings from `BENCH_*` variables; throws naming every malformed one. */
export function readBenchSettings(env: NodeJS.ProcessEnv): BenchSettings {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid benchmark settings:\n  ${lines.join("\n  ")}`);
  }
  const settings = parsed.data;
  return {
    modelsDir: resolve(settings.BENCH_MODELS_DIR ?? resolve(repositoryRoot, "../shared/models")),
    baseModel: settings.BENCH_BASE_MODEL,
    instructModel: settings.BENCH_INSTRUCT_MODEL,
    threads: settings.BENCH_THREADS,
    tokens: settings.BENCH_TOKENS,
    rounds: settings.BENCH_ROUNDS,
    compareRuns: settings.BENCH_COMPARE_RUNS,
    compareMaxTokens: settings.BENCH_COMPARE_MAX_TOKENS,
    interactionsPerRow: settings.BENCH_INTERACTIONS,
    memoryRuns: settings.BENCH_MEMORY_RUNS,
    python: settings.BENCH_PYTHON,
    classMembers: settings.BENCH_CLASS_MEMBERS,
    classSpreadMs: settings.BENCH_CLASS_SPREAD_MS,
  };
}
