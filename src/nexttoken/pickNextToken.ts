import type { Token } from "node-llama-cpp";
import type { RandomSource } from "../random.ts";
import type { RankedProbabilities } from "./NextTokenEvaluator.ts";

export interface PickNextTokenOptions {
  /**
   * 0 takes the most likely token. Above 0, samples from the distribution sharpened (below 1) or
   * flattened (above 1): each probability is raised to the power 1/temperature and renormalised,
   * which is the same as dividing the logits by the temperature. No top-k or top-p truncation.
   */
  temperature: number;
  /** Draws the sample; unused at temperature 0. */
  random: RandomSource;
}

/** Chooses the next token from a full distribution, returning it with its (unscaled) probability. */
export function pickNextToken(
  ranked: RankedProbabilities,
  options: PickNextTokenOptions,
): { token: Token; probability: number } {
  const { temperature, random } = options;
  if (!(Number.isFinite(temperature) && temperature >= 0)) {
    throw new RangeError(`temperature must be a finite number ≥ 0, got ${temperature}`);
  }
  const { tokens, probabilities } = ranked;
  const top = probabilities[0];
  if (top === undefined || !(top > 0)) throw new RangeError("Cannot pick from an empty distribution");
  const pickAt = (index: number) => ({
    token: tokens[index] as Token,
    probability: probabilities[index] ?? 0,
  });
  if (temperature === 0) return pickAt(0);

  // Log space relative to the most likely token, so small temperatures cannot overflow.
  const logTop = Math.log(top);
  const weights = probabilities.map((probability) =>
    Math.exp((Math.log(probability) - logTop) / temperature),
  );
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let remaining = random() * total;
  let lastPositive = 0;
  for (const [index, weight] of weights.entries()) {
    if (weight <= 0) continue;
    lastPositive = index;
    remaining -= weight;
    if (remaining < 0) return pickAt(index);
  }
  // Only reached when rounding leaves `remaining` at or just above 0.
  return pickAt(lastPositive);
}
