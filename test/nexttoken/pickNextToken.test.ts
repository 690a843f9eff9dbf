import type { Token } from "node-llama-cpp";
import { describe, expect, it } from "vitest";
import type { RankedProbabilities } from "../../src/nexttoken/NextTokenEvaluator.ts";
import { pickNextToken } from "../../src/nexttoken/pickNextToken.ts";
import { seededRandom } from "../../src/random.ts";

const RANKED: RankedProbabilities = { tokens: [7, 3, 9, 4] as Token[], probabilities: [0.6, 0.3, 0.1, 0] };

function frequencies(temperature: number, draws: number): Map<number, number> {
  const random = seededRandom("frequencies");
  const counts = new Map<number, number>();
  for (let i = 0; i < draws; i++) {
    const { token } = pickNextToken(RANKED, { temperature, random });
    counts.set(token, (counts.get(token) ?? 0) + 1);
  }
  return new Map([...counts].map(([token, count]) => [token, count / draws]));
}

describe("pickNextToken", () => {
  it("GIVEN temperature 0 THEN takes the most likely token without drawing", () => {
    const random = () => {
      throw new Error("greedy picking must not draw");
    };
    expect(pickNextToken(RANKED, { temperature: 0, random })).toEqual({ token: 7, probability: 0.6 });
  });

  it("GIVEN the same seed THEN picks the same token", () => {
    const picks = (seed: string) =>
      Array.from({ length: 20 }, (_, i) =>
        pickNextToken(RANKED, { temperature: 1, random: seededRandom(`${seed}:${i}`) }),
      );
    expect(picks("a")).toEqual(picks("a"));
    expect(new Set(picks("a").map((pick) => pick.token)).size).toBeGreaterThan(1);
  });

  it("GIVEN temperature 1 THEN samples in proportion to the probabilities and never a zero one", () => {
    const seen = frequencies(1, 20_000);
    expect(seen.get(7)).toBeCloseTo(0.6, 1);
    expect(seen.get(3)).toBeCloseTo(0.3, 1);
    expect(seen.get(9)).toBeCloseTo(0.1, 1);
    expect(seen.has(4)).toBe(false);
  });

  it("GIVEN a low temperature THEN sharpens, and a high one flattens", () => {
    expect(frequencies(0.1, 2_000).get(7)).toBeGreaterThan(0.99);
    // At temperature 2 the weights are √p: 0.6 → 0.47 of the mass, 0.1 → 0.19.
    const flat = frequencies(2, 20_000);
    expect(flat.get(7)).toBeCloseTo(0.47, 1);
    expect(flat.get(9)).toBeCloseTo(0.19, 1);
  });

  it("GIVEN a tiny temperature THEN does not overflow", () => {
    expect(pickNextToken(RANKED, { temperature: 1e-6, random: seededRandom("x") }).token).toBe(7);
  });

  it("GIVEN a negative or non-finite temperature THEN throws", () => {
    for (const temperature of [-0.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => pickNextToken(RANKED, { temperature, random: Math.random })).toThrow(RangeError);
    }
  });
});
