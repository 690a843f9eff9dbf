import type { Token } from "node-llama-cpp";
import type { RenderedChatPrompt } from "../llm/renderChatPrompt.ts";
import type { PromptTokens } from "../llm/tokenizePrompt.ts";

/**
 * Probabilities of candidates for the next token, most likely first: `probabilities[i]` belongs to
 * `tokens[i]`. In-process, that is the whole vocabulary and sums to 1; from a server, only the top
 * candidates it returns (their sum is below 1).
 */
export interface RankedProbabilities {
  readonly tokens: readonly Token[];
  readonly probabilities: readonly number[];
}

/** A token and its text where it stands. */
export interface DescribedToken {
  token: Token;
  /** The token's text after `previous`, special tokens written out (`<|im_end|>`). */
  text: string;
  /** A control or end-of-generation token such as `<|im_end|>` or `</s>`. */
  isSpecial: boolean;
}

/**
 * One model's next-token probabilities and the tokenizer around them, for `/nexttoken`: the part
 * of a model a walk uses, in-process (`NextTokenEvaluator`) or on a server (`RemoteSide`).
 */
export interface NextTokenPredictor {
  /** The most tokens {@link evaluate} accepts. */
  readonly contextSize: number;
  tokenizePrompt(prompt: string | RenderedChatPrompt): Promise<PromptTokens>;
  /** Candidates for the token after `tokens`, most likely first. */
  evaluate(tokens: readonly Token[]): Promise<RankedProbabilities>;
  describe(token: Token, previous: readonly Token[]): Promise<DescribedToken>;
  /** The text of `tokens` following `previous`, special tokens written out. */
  detokenize(tokens: readonly Token[], previous: readonly Token[]): Promise<string>;
  /** Whether generation ends with this token (EOS, EOT, the template's end of turn). */
  isEndOfGeneration(token: Token): boolean;
}
