import { access } from "node:fs/promises";
import { resolve } from "node:path";
import { resolveModelFile } from "node-llama-cpp";

export type ModelLocation =
  | { kind: "found"; path: string }
  | {
      kind: "missing";
      /** The path looked for, or for a URI the URI and the folder searched. */
      file: string;
      /** What the operator can do about it. */
      hint: string;
    };

export const PULL_HINT = "run `npm run models:pull`";

/** `hf:` and `https:` specs are downloaded; anything else is a path on this machine. */
export function isModelUri(spec: string): boolean {
  return /^(hf:|huggingface:|https?:\/\/)/i.test(spec);
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds the GGUF file a model spec names, without downloading anything.
 *
 * - A URI is looked up in `modelsDir` under the file name node-llama-cpp gives it when it
 *   downloads: `hf:QuantFactory/SmolLM2-135M-GGUF/SmolLM2-135M.Q8_0.gguf` →
 *   `hf_QuantFactory_SmolLM2-135M.Q8_0.gguf` (the repository name is left out when the file name
 *   starts with it), `hf:bartowski/SmolLM2-135M-GGUF:Q8_0` → `hf_bartowski_SmolLM2-135M.Q8_0.gguf`.
 * - A path is taken relative to the working directory, then to `modelsDir`.
 */
export async function locateModelFile(spec: string, modelsDir: string): Promise<ModelLocation> {
  const directory = resolve(modelsDir);
  if (isModelUri(spec)) {
    try {
      const path = await resolveModelFile(spec, { directory, download: false, cli: false });
      return { kind: "found", path };
    } catch {
      return {
        kind: "missing",
        file: `${spec} (not in ${directory})`,
        hint: `${PULL_HINT} to download it, or set MODELS_AUTO_DOWNLOAD=true`,
      };
    }
  }
  for (const candidate of [resolve(spec), resolve(directory, spec)]) {
    if (await exists(candidate)) return { kind: "found", path: candidate };
  }
  return {
    kind: "missing",
    file: resolve(spec),
    hint: `point the setting at an existing GGUF file, or use an hf: URI and ${PULL_HINT}`,
  };
}
