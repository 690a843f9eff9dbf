import { describe, expect, it } from "vitest";
import { leaderboardPoints, scoreAnswer } from "../../src/classes/scoreAnswer.ts";

describe("scoreAnswer", () => {
  it("GIVEN a right answer THEN points fall linearly from 1000 at once to 500 at the deadline", () => {
    expect(scoreAnswer(true, 0, 20_000)).toBe(1000);
    expect(scoreAnswer(true, 5_000, 20_000)).toBe(875);
    expect(scoreAnswer(true, 10_000, 20_000)).toBe(750);
    expect(scoreAnswer(true, 20_000, 20_000)).toBe(500);
    expect(scoreAnswer(true, 1_234, 20_000)).toBe(969);
  });

  it("GIVEN a wrong answer THEN it earns nothing, however fast", () => {
    expect(scoreAnswer(false, 0, 20_000)).toBe(0);
  });

  it("GIVEN times outside the window THEN they are clamped to it", () => {
    expect(scoreAnswer(true, -300, 20_000)).toBe(1000);
    expect(scoreAnswer(true, 25_000, 20_000)).toBe(500);
  });

  it("GIVEN no time limit THEN it refuses to score", () => {
    expect(() => scoreAnswer(true, 0, 0)).toThrow(RangeError);
  });
});

describe("leaderboardPoints", () => {
  it("gives 2 in the first half of the time, 1 in the second, on the quiz's scale", () => {
    expect(leaderboardPoints(scoreAnswer(true, 0, 20_000))).toBe(2);
    expect(leaderboardPoints(scoreAnswer(true, 9_000, 20_000))).toBe(2);
    expect(leaderboardPoints(scoreAnswer(true, 11_000, 20_000))).toBe(1);
    expect(leaderboardPoints(scoreAnswer(true, 20_000, 20_000))).toBe(1);
    expect(leaderboardPoints(scoreAnswer(false, 0, 20_000))).toBe(0);
  });
});
