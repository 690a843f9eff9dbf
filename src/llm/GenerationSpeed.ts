import type { GenerationStats } from "./generate.ts";

export type GenerationSpeedOptions =
  | {
      /** Size of the loaded model, in bytes (`LlamaModel.size`). */
      modelBytes: number;
      /** CPU threads one generation uses. */
      threads: number;
    }
  /** A first guess given directly, for a model on a server whose hardware is unknown. */
  | { tokensPerSecond: number };

/**
 * Bytes of weights one CPU thread reads per second while decoding. Decoding on a CPU is bound by
 * memory bandwidth: every token reads all the weights once. Set at about half of what SmolLM2-135M
 * (144 MB, 60 tokens/s on one thread) was measured to reach here, so the guess errs long.
 */
const BYTES_PER_SECOND_PER_THREAD = 4e9;
/** Tiny models are bound by per-token overhead, not bandwidth. */
const MAX_GUESSED_TOKENS_PER_SECOND = 500;
/** A prompt is evaluated in one batch, far faster per token than decoding. */
const PROMPT_SPEEDUP = 10;
/** Fixed cost of a run: scheduling, sequence setup, the first edit. */
const OVERHEAD_MS = 100;
/** Weight of the newest measurement in the running averages. */
const AVERAGE_WEIGHT = 0.3;

/**
 * How fast one model generates: first a guess from its size and thread count, then running
 * averages of what finished generations measured. Used for queue wait estimates.
 */
export class GenerationSpeed {
  private tokensPerSecond: number;
  private promptMsPerToken: number;
  private measured = false;

  constructor(options: GenerationSpeedOptions) {
    const guess =
      "tokensPerSecond" in options
        ? options.tokensPerSecond
        : (Math.max(1, options.threads) * BYTES_PER_SECOND_PER_THREAD) / Math.max(1, options.modelBytes);
    this.tokensPerSecond = Math.min(MAX_GUESSED_TOKENS_PER_SECOND, guess);
    this.promptMsPerToken = 1000 / (this.tokensPerSecond * PROMPT_SPEEDUP);
  }

  /** Expected length of a generation of at most `maxTokens` tokens after `promptTokens`, in ms. */
  estimateMs(promptTokens: number, maxTokens: number): number {
    return OVERHEAD_MS + promptTokens * this.promptMsPerToken + (maxTokens * 1000) / this.tokensPerSecond;
  }

  /** The running average of measured decoding speeds; `undefined` before any run was long enough to tell. */
  get recentTokensPerSecond(): number | undefined {
    return this.measured ? this.tokensPerSecond : undefined;
  }

  /** Learns from a finished generation; ones too short to tell anything are ignored. */
  record(stats: GenerationStats): void {
    if (stats.tokens > 1 && stats.tokensPerSecond > 0) {
      this.tokensPerSecond = this.measured
        ? this.tokensPerSecond + AVERAGE_WEIGHT * (stats.tokensPerSecond - this.tokensPerSecond)
        : stats.tokensPerSecond;
      this.measured = true;
    }
    if (stats.timeToFirstTokenMs !== null && stats.promptTokens > 0) {
      const measured = stats.timeToFirstTokenMs / stats.promptTokens;
      this.promptMsPerToken += AVERAGE_WEIGHT * (measured - this.promptMsPerToken);
    }
  }
}
