import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type TinyGgufOptions, writeTinyGguf } from "./tinyGguf.ts";

export interface TinyCompareModels {
  /** The tiny model without a chat template: raw text that does not end in a newline makes it loop `lalala…`. */
  base: string;
  /** The tiny ChatML model: after the generation prompt it says its reply, then `<|im_end|>`. */
  instruct: string;
  /** The environment that points the bot at them, one thread each, on the CPU. */
  env: Record<string, string>;
  remove(): Promise<void>;
}

/**
 * Writes a base/instruct pair of tiny self-built models into a fresh temporary folder, so the
 * `/compare` path runs on a fresh clone without the shared models. `contextLength` also sets
 * `LLM_CONTEXT_SIZE`: the base side generates until `max_tokens` or the context is full, so a long
 * context makes a run last long enough to watch it stream (about 1,500 tokens a second).
 */
export async function writeTinyCompareModels(
  options: Pick<TinyGgufOptions, "reply" | "contextLength"> = {},
): Promise<TinyCompareModels> {
  const directory = await mkdtemp(join(tmpdir(), "lm-tutor-compare-"));
  const base = await writeTinyGguf(join(directory, "tiny-plain.gguf"), {
    ...options,
    chatTemplate: false,
    name: "tiny-plain",
  });
  const instruct = await writeTinyGguf(join(directory, "tiny-chatml.gguf"), options);
  return {
    base,
    instruct,
    env: {
      BASE_MODEL: base,
      INSTRUCT_MODEL: instruct,
      LLM_THREADS: "1",
      LLM_GPU: "false",
      LLM_CONTEXT_SIZE: String(options.contextLength ?? 256),
    },
    remove: () => rm(directory, { recursive: true, force: true }),
  };
}
