import { expect } from "vitest";
import type { NextTokenCandidate } from "../../src/nexttoken/nextTokenDistribution.ts";

/**
 * The same candidates in the same order, probabilities equal to 6 decimals: llama.cpp's float
 * results differ in the last bits when a token is evaluated alone rather than inside a batch.
 */
export function expectSamePredictions(
  actual: readonly NextTokenCandidate[],
  expected: readonly NextTokenCandidate[],
): void {
  const withoutProbability = (candidates: readonly NextTokenCandidate[]) =>
    candidates.map(({ token, text, isSpecial }) => ({ token, text, isSpecial }));
  expect(withoutProbability(actual)).toEqual(withoutProbability(expected));
  for (const [index, candidate] of actual.entries()) {
    expect(candidate.probability).toBeCloseTo(expected[index]?.probability ?? Number.NaN, 6);
  }
}
