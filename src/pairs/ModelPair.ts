/**
 * The shared vocabulary of model pairs: what a pair is and where each side of it comes from.
 * The catalogue (built-in pairs plus the operator's file) produces these; the model runtime loads
 * them, in this process or on an inference engine.
 */

/** Where one side of a pair comes from. */
export type ModelSource =
  /** A GGUF file on this machine (relative paths are tried against the models folder too). */
  | { kind: "file"; path: string }
  /** An exact file on Hugging Face: `hf:<user>/<repo>/<file>.gguf`. */
  | { kind: "hf"; uri: string }
  /**
   * A model served by an OpenAI-compatible engine named in the catalogue's `engines`. `model` is
   * the name the server knows it by (the `model` field of requests); absent, the server's only or
   * default model is used.
   */
  | { kind: "engine"; engine: string; model?: string };

/** An OpenAI-compatible inference server (llama.cpp's llama-server, vLLM, SGLang, Ollama). */
export interface EngineEndpoint {
  /** Short name that pair sources refer to, e.g. `gpu-box`. */
  id: string;
  /** Base URL of the server, without `/v1`, e.g. `http://10.0.0.5:8080`. */
  url: string;
  /** Name of the environment variable that holds the API key; absent when the server needs none. */
  apiKeyEnv?: string;
  /** Generations the server runs at once; absent, read from the server (`/props`) or 1. */
  slots?: number;
  /** A Jinja chat template file, for servers that do not report the model's template. */
  chatTemplateFile?: string;
  /** How long to wait for a server's first byte before giving up, in ms. */
  timeoutMs?: number;
}

/** A base model and its instruct-tuned sibling, shown side by side by `/compare`. */
export interface ModelPair {
  /** Stable id members type in `pair:`, e.g. `smollm2-135m`. */
  id: string;
  /** Human name, e.g. `SmolLM2 135M`. */
  label: string;
  base: ModelSource;
  instruct: ModelSource;
  /** Bytes to download for both sides, when known. */
  sizeBytes?: number;
  /** License of the weights, e.g. `Apache-2.0`. */
  license?: string;
  /** Chat template family of the instruct side: `chatml`, `llama3`, `gemma`, … */
  templateFamily?: string;
  /** One line on what this pair shows well in a class. */
  shows?: string;
  /** Where the entry came from: shipped with the bot, the operator's file, or BASE_MODEL/INSTRUCT_MODEL. */
  origin: "built-in" | "operator" | "settings";
}

/** Every pair the bot may use, the engines they name, and the pair used when none is asked for. */
export interface PairCatalogue {
  pairs: readonly ModelPair[];
  engines: readonly EngineEndpoint[];
  defaultPairId: string;
}
