import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { LocalModels } from "../../src/llm/LocalModels.ts";
import { writeTinyGguf } from "./tinyGguf.ts";

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** `TEST_MODELS_DIR`, or `../shared/models` beside the repository. */
export const SHARED_MODELS_DIR = process.env.TEST_MODELS_DIR ?? resolve(repositoryRoot, "../shared/models");

/** A real GGUF from the shared folder, and a visible reason to skip when it is absent. */
export function sharedModel(file: string): { path: string; present: boolean; skipNote: string } {
  const path = join(SHARED_MODELS_DIR, file);
  const present = existsSync(path);
  return { path, present, skipNote: present ? "" : ` [skipped: ${path} not found; set TEST_MODELS_DIR]` };
}

export interface TinyModelFiles {
  directory: string;
  /** The tiny ChatML model (an instruct model with a template). */
  chatml: string;
  /** The same weights without `tokenizer.chat_template` (a base model). */
  plain: string;
  remove(): Promise<void>;
}

/** Writes the tiny self-built models into a fresh temporary folder. */
export async function writeTinyModels(): Promise<TinyModelFiles> {
  const directory = await mkdtemp(join(tmpdir(), "lm-tutor-llm-"));
  return {
    directory,
    chatml: await writeTinyGguf(join(directory, "tiny-chatml.gguf")),
    plain: await writeTinyGguf(join(directory, "tiny-plain.gguf"), {
      chatTemplate: false,
      name: "tiny-plain",
    }),
    remove: () => rm(directory, { recursive: true, force: true }),
  };
}

/** Loads a base/instruct pair on the CPU with one thread, as every model test does, and waits for it. */
export async function loadModelPair(base: string, instruct: string, contextSize = 256): Promise<LocalModels> {
  const models = new LocalModels({ base, instruct, gpu: false, threads: 1, contextSize });
  await models.whenSettled();
  return models;
}

/** The tiny models written and loaded as base (no template) and instruct (ChatML), on one CPU thread. */
export async function loadTinyModels(): Promise<{
  files: TinyModelFiles;
  models: LocalModels;
  dispose(): Promise<void>;
}> {
  const files = await writeTinyModels();
  const models = await loadModelPair(files.plain, files.chatml);
  return {
    files,
    models,
    async dispose() {
      await models.dispose();
      await files.remove();
    },
  };
}

/**
 * The environment of {@link storiesEnv} with the pair's models on model servers instead: the pairs
 * file `pairsFile` (see `writeEnginePairsFile`) names them, and no BASE_MODEL / INSTRUCT_MODEL is
 * set, so its default pair is the bot's default.
 */
export function enginePairEnv(pairsFile: string, extra: Record<string, string> = {}): Record<string, string> {
  const { BASE_MODEL: _base, INSTRUCT_MODEL: _instruct, ...rest } = storiesEnv(extra);
  return { ...rest, MODEL_PAIRS_FILE: pairsFile };
}

/**
 * The environment that runs the bot on the shared stories260K pair (base, and the same weights with
 * a ChatML template as the instruct model) on one CPU thread with no cooldown, plus `extra`.
 */
export function storiesEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    BASE_MODEL: sharedModel("stories260K.gguf").path,
    INSTRUCT_MODEL: sharedModel("stories260K-chatml.gguf").path,
    LLM_THREADS: "1",
    LLM_GPU: "false",
    COMPARE_COOLDOWN_SECONDS: "0",
    ...extra,
  };
}
