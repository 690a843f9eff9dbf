import type {
  ControlledEvaluateInputItem,
  LlamaContext,
  LlamaContextSequence,
  LlamaModel,
  Token,
} from "node-llama-cpp";
import { SerialQueue } from "../async/SerialQueue.ts";
import type { RenderedChatPrompt } from "../llm/renderChatPrompt.ts";
import { type PromptTokens, tokenizePrompt } from "../llm/tokenizePrompt.ts";
import type { DescribedToken, NextTokenPredictor, RankedProbabilities } from "./NextTokenPredictor.ts";

export type { RankedProbabilities } from "./NextTokenPredictor.ts";

export interface NextTokenEvaluatorOptions {
  /**
   * CPU threads per evaluation. Default 1: with llama.cpp's own default (all cores) a 2-core
   * machine was measured to be pathologically slow; the caller passes its configured count.
   */
  threads?: number;
  /**
   * Tokens the context holds. The longest prompt plus every step of a walk must fit.
   * Default: the smaller of 1024 and the model's training context.
   */
  contextSize?: number;
}

const DEFAULT_CONTEXT_SIZE = 1024;

/**
 * One model's next-token probabilities, from a small context with a single sequence that this
 * object owns. Evaluations run one at a time. The sequence keeps what it evaluated last, so asking
 * again with one more token evaluates only that token; a different token list keeps the common
 * prefix and evaluates the rest.
 */
export class NextTokenEvaluator implements NextTokenPredictor {
  private readonly queue = new SerialQueue();

  private constructor(
    readonly model: LlamaModel,
    private readonly context: LlamaContext,
    private readonly sequence: LlamaContextSequence,
  ) {}

  /** Creates the context; `model` stays the caller's to dispose. */
  static async create(
    model: LlamaModel,
    options: NextTokenEvaluatorOptions = {},
  ): Promise<NextTokenEvaluator> {
    const { threads = 1, contextSize = Math.min(DEFAULT_CONTEXT_SIZE, model.trainContextSize) } = options;
    const context = await model.createContext({ contextSize, threads, sequences: 1 });
    return new NextTokenEvaluator(model, context, context.getSequence());
  }

  /** The most tokens {@link evaluate} accepts. */
  get contextSize(): number {
    return this.context.contextSize;
  }

  /**
   * The full distribution of the token that follows `tokens`, as node-llama-cpp computes it: the
   * softmax of the raw logits over the whole vocabulary. It is asked for with the greedy sampler
   * (temperature 0), whose chain neither scales nor truncates the candidates; any temperature above
   * 0 would add node-llama-cpp's default top-k 40 and top-p 0.95 and return only the survivors.
   */
  async evaluate(tokens: readonly Token[]): Promise<RankedProbabilities> {
    if (tokens.length === 0) throw new RangeError("Cannot predict the next token of an empty token list");
    if (tokens.length > this.contextSize) {
      throw new RangeError(`${tokens.length} tokens do not fit in a context of ${this.contextSize}`);
    }
    return this.queue.run(async () => {
      // The last token is always evaluated again: its logits are what we read.
      const keep = Math.min(
        this.sequence.compareContextTokens([...tokens]).firstDifferentIndex,
        tokens.length - 1,
      );
      if (keep < this.sequence.nextTokenIndex) {
        await this.sequence.eraseContextTokenRanges([{ start: keep, end: this.sequence.nextTokenIndex }]);
      }
      const input: ControlledEvaluateInputItem[] = tokens.slice(keep);
      const lastIndex = input.length - 1;
      input[lastIndex] = [tokens[tokens.length - 1] as Token, { generateNext: { probabilities: true } }];
      const output = await this.sequence.controlledEvaluate(input);
      const probabilities = output[lastIndex]?.next.probabilities;
      if (probabilities === undefined) throw new Error("node-llama-cpp returned no next-token probabilities");
      // The map is documented and observed to be sorted, most likely first.
      return { tokens: [...probabilities.keys()], probabilities: [...probabilities.values()] };
    });
  }

  async tokenizePrompt(prompt: string | RenderedChatPrompt): Promise<PromptTokens> {
    return tokenizePrompt(this.model, prompt);
  }

  async describe(token: Token, previous: readonly Token[]): Promise<DescribedToken> {
    // `previous` lets the detokenizer keep a SentencePiece word's leading space.
    return {
      token,
      text: this.model.detokenize([token], true, previous),
      isSpecial: this.model.isSpecialToken(token),
    };
  }

  async detokenize(tokens: readonly Token[], previous: readonly Token[]): Promise<string> {
    return this.model.detokenize(tokens, true, previous);
  }

  isEndOfGeneration(token: Token): boolean {
    return this.model.isEogToken(token);
  }

  /** Frees the context, after any evaluation in progress. */
  dispose(): Promise<void> {
    return this.queue.run(() => this.context.dispose());
  }
}
