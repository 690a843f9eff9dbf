import type { LlamaContext, LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";

/** A model that is loaded and ready, with its context and the sequences that generate on it. */
export interface LoadedModel {
  /** `general.name` from the GGUF, or the file name. */
  name: string;
  /** The spec it was configured with (path or URI). */
  spec: string;
  /** The GGUF file on disk. */
  path: string;
  model: LlamaModel;
  context: LlamaContext;
  /** One per generation that may run at once on this model (`/compare`). */
  sequences: readonly LlamaContextSequence[];
  /** The sequence `/nexttoken` evaluates on, beside the generations in the same context. */
  nextTokenSequence: LlamaContextSequence;
  /** Tokens per sequence (every sequence of the context has the same). */
  contextSize: number;
  /** `tokenizer.chat_template` from the GGUF metadata, or `null`. */
  chatTemplate: string | null;
  /** Control tokens the template writes to end an assistant turn (see `findEndOfTurnTokens`). */
  endOfTurnTokens: ReadonlySet<Token>;
}
