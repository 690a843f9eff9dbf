import type { ModelPair } from "./ModelPair.ts";

/** The pair used when neither the settings nor the operator's file choose one. */
export const DEFAULT_PAIR_ID = "smollm2-135m";

/**
 * The pairs shipped with the bot. Every file here was seen named exactly in public material (the
 * comment next to it says where); sizes are exact where a source gave bytes, else the repository
 * listing's megabytes. Nothing here was downloaded to check it: `npm run models:pull` reports a
 * missing file as an HTTP 404.
 */
export const builtInPairs: readonly ModelPair[] = [
  {
    id: "smollm2-135m",
    label: "SmolLM2 135M",
    // Seen: a public Python script downloading REPO_ID "QuantFactory/SmolLM2-135M-GGUF",
    // FILENAME "SmolLM2-135M.Q8_0.gguf"; apps linking
    // https://huggingface.co/QuantFactory/SmolLM2-135M-GGUF/resolve/main/SmolLM2-135M.Q8_0.gguf;
    // a download manifest giving it 144_810_464 bytes with its sha256.
    base: { kind: "hf", uri: "hf:QuantFactory/SmolLM2-135M-GGUF/SmolLM2-135M.Q8_0.gguf" },
    // Seen: https://huggingface.co/lmstudio-community/SmolLM2-135M-Instruct-GGUF/tree/bc0c975… (bartowski's
    // upload of SmolLM2-135M-Instruct-Q8_0.gguf, 145 MB); a public script fetching
    // https://huggingface.co/bartowski/SmolLM2-135M-Instruct-GGUF/resolve/main/SmolLM2-135M-Instruct-Q8_0.gguf
    // and a README running `huggingface-cli download bartowski/SmolLM2-135M-Instruct-GGUF SmolLM2-135M-Instruct-Q8_0.gguf`.
    instruct: { kind: "hf", uri: "hf:bartowski/SmolLM2-135M-Instruct-GGUF/SmolLM2-135M-Instruct-Q8_0.gguf" },
    sizeBytes: 144_810_464 + 145_000_000,
    license: "Apache-2.0",
    templateFamily: "chatml",
    shows: "Fast on any CPU: the base model carries on the text while the instruct model answers it.",
    origin: "built-in",
  },
  {
    id: "smollm2-360m",
    label: "SmolLM2 360M",
    // Seen: https://huggingface.co/mradermacher/SmolLM2-360M-GGUF/tree/main (SmolLM2-360M.Q8_0.gguf, 386 MB).
    base: { kind: "hf", uri: "hf:mradermacher/SmolLM2-360M-GGUF/SmolLM2-360M.Q8_0.gguf" },
    // Seen: apps linking https://huggingface.co/HuggingFaceTB/SmolLM2-360M-Instruct-GGUF/resolve/main/smollm2-360m-instruct-q8_0.gguf,
    // one with expectedSizeBytes 386404992.
    instruct: {
      kind: "hf",
      uri: "hf:HuggingFaceTB/SmolLM2-360M-Instruct-GGUF/smollm2-360m-instruct-q8_0.gguf",
    },
    sizeBytes: 386_000_000 + 386_404_992,
    license: "Apache-2.0",
    templateFamily: "chatml",
    shows: "Still quick on a CPU; the instruct side stays on topic for longer answers.",
    origin: "built-in",
  },
  {
    id: "qwen2.5-0.5b",
    label: "Qwen2.5 0.5B",
    // Seen: https://huggingface.co/QuantFactory/Qwen2.5-0.5B-GGUF/tree/71b08db… (Qwen2.5-0.5B.Q8_0.gguf, 531 MB).
    base: { kind: "hf", uri: "hf:QuantFactory/Qwen2.5-0.5B-GGUF/Qwen2.5-0.5B.Q8_0.gguf" },
    // Seen: Qwen's own repository in many scripts, e.g. `huggingface-cli download Qwen/Qwen2.5-0.5B-Instruct-GGUF
    // qwen2.5-0.5b-instruct-q8_0.gguf`; a model list giving it 675710816 bytes.
    instruct: { kind: "hf", uri: "hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q8_0.gguf" },
    sizeBytes: 531_000_000 + 675_710_816,
    license: "Apache-2.0",
    templateFamily: "chatml",
    shows: "Multilingual; its chat template adds a default system prompt, which Show prompts makes visible.",
    origin: "built-in",
  },
  {
    id: "llama-3.2-1b",
    label: "Llama 3.2 1B",
    // Seen: https://huggingface.co/QuantFactory/Llama-3.2-1B-GGUF/tree/main (Llama-3.2-1B.Q4_K_M.gguf, 808 MB).
    base: { kind: "hf", uri: "hf:QuantFactory/Llama-3.2-1B-GGUF/Llama-3.2-1B.Q4_K_M.gguf" },
    // Seen: https://huggingface.co/QuantFactory/Llama-3.2-1B-Instruct-GGUF/tree/056a6ed…
    // (Llama-3.2-1B-Instruct.Q4_K_M.gguf, 808 MB).
    instruct: {
      kind: "hf",
      uri: "hf:QuantFactory/Llama-3.2-1B-Instruct-GGUF/Llama-3.2-1B-Instruct.Q4_K_M.gguf",
    },
    sizeBytes: 808_000_000 + 808_000_000,
    license: "Llama 3.2 Community License",
    templateFamily: "llama3",
    shows: "A billion parameters: fluent answers, and the Llama 3 template's headers and <|eot_id|> turns.",
    origin: "built-in",
  },
  {
    id: "gemma-3-270m",
    label: "Gemma 3 270M",
    // Seen: scripts fetching https://huggingface.co/ggml-org/gemma-3-270m-GGUF/resolve/main/gemma-3-270m-Q8_0.gguf,
    // one with its sha256 and 291_543_744 bytes; ggml-org's "Gemma 3-270m" collection calls it the base model.
    base: { kind: "hf", uri: "hf:ggml-org/gemma-3-270m-GGUF/gemma-3-270m-Q8_0.gguf" },
    // Seen: a download script listing https://huggingface.co/ggml-org/gemma-3-270m-it-GGUF/resolve/main/gemma-3-270m-it-Q8_0.gguf.
    // Its size was not found, so the pair's size is left unknown.
    instruct: { kind: "hf", uri: "hf:ggml-org/gemma-3-270m-it-GGUF/gemma-3-270m-it-Q8_0.gguf" },
    license: "Gemma Terms of Use",
    templateFamily: "gemma",
    shows: "Another lab, the same lesson: base vs -it, with Gemma's <start_of_turn> template.",
    origin: "built-in",
  },
];
