import type { ControlledEvaluateInputItem, LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";
import { SerialQueue } from "../async/SerialQueue.ts";

/**
 * The probability of every token in the vocabulary being the next one, most likely first:
 * `probabilities[i]` belongs to `tokens[i]`. The values sum to 1 (within float rounding).
 */
export interface RankedProbabilities {
  readonly tokens: readonly Token[];
  readonly probabilities: readonly number[];
}

/**
 * One model's next-token probabilities, from one sequence of a context that someone else owns
 * (for the bot, the models' own contexts, so `/nexttoken` costs a sequence's KV cache and no
 * buffers of its own). Evaluations run one at a time. The sequence keeps what it evaluated last,
 * so asking again with one more token evaluates only that token; a different token list keeps the
 * common prefix and evaluates the rest.
 */
export class NextTokenEvaluator {
  private readonly queue = new SerialQueue();

  /** `sequence` must be used by nothing else while this evaluator is in use. */
  constructor(private readonly sequence: LlamaContextSequence) {}

  get model(): LlamaModel {
    return this.sequence.model;
  }

  /** The most tokens {@link evaluate} accepts. */
  get contextSize(): number {
    return this.sequence.contextSize;
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

  /** Empties the sequence after any evaluation in progress; the sequence and its context stay the owner's. */
  dispose(): Promise<void> {
    return this.queue.run(async () => {
      if (!this.sequence.disposed) await this.sequence.clearHistory();
    });
  }
}
