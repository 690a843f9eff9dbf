import type { Token } from "node-llama-cpp";
import type { NextTokenPredictor, RankedProbabilities } from "./NextTokenPredictor.ts";

/** One candidate for the next token. */
export interface NextTokenCandidate {
  token: Token;
  /** The token's text where it would stand, special tokens written out (`<|im_end|>`). */
  text: string;
  /** Between 0 and 1. */
  probability: number;
  /** A control or end-of-generation token such as `<|im_end|>` or `</s>`. */
  isSpecial: boolean;
}

/** What a model predicts after some tokens. */
export interface NextTokenDistribution {
  /** The most likely candidates, most likely first. */
  top: NextTokenCandidate[];
  /** The probability of every other token together: 1 minus the sum of `top`, never below 0. */
  restProbability: number;
  /** Every candidate known (in-process the whole vocabulary, from a server its top ones), for sampling. */
  ranked: RankedProbabilities;
}

/** Candidates shown when none is asked for. */
export const DEFAULT_TOP_K = 10;
/** More would not be legible on the chart. */
export const MAX_TOP_K = 20;

export interface NextTokenDistributionOptions {
  /** How many candidates to describe, 1 to {@link MAX_TOP_K}. Default {@link DEFAULT_TOP_K}. */
  topK?: number;
}

/** The `topK` most likely next tokens after `tokens`, with what is left for all the others. */
export async function nextTokenDistribution(
  predictor: NextTokenPredictor,
  tokens: readonly Token[],
  options: NextTokenDistributionOptions = {},
): Promise<NextTokenDistribution> {
  const { topK = DEFAULT_TOP_K } = options;
  assertTopK(topK);
  const ranked = await predictor.evaluate(tokens);
  const top = await Promise.all(
    ranked.tokens.slice(0, topK).map(async (token, index) => ({
      ...(await predictor.describe(token, tokens)),
      probability: ranked.probabilities[index] ?? 0,
    })),
  );
  const topSum = top.reduce((sum, candidate) => sum + candidate.probability, 0);
  return { top, restProbability: Math.max(0, 1 - topSum), ranked };
}

export function assertTopK(topK: number): void {
  if (!Number.isInteger(topK) || topK < 1 || topK > MAX_TOP_K) {
    throw new RangeError(`topK must be a whole number from 1 to ${MAX_TOP_K}, got ${topK}`);
  }
}
