import { describe, expect, it } from "vitest";
import { leaderboardPeriodStart, parseLeaderboardPeriod } from "../../src/progress/leaderboardPeriod.ts";
import { rankScores } from "../../src/progress/rankScores.ts";

const now = new Date("2025-03-10T12:00:00Z");

describe("leaderboardPeriodStart", () => {
  it("GIVEN the week period THEN it starts exactly 7 days (rolling) before now", () => {
    expect(leaderboardPeriodStart("week", now)).toEqual(new Date("2025-03-03T12:00:00Z"));
  });

  it("GIVEN all time THEN it has no start", () => {
    expect(leaderboardPeriodStart("all", now)).toBeUndefined();
  });

  it.each([
    [null, "week"],
    ["week", "week"],
    ["all", "all"],
    ["year", "week"],
  ])("GIVEN the option %s THEN the period is %s", (value, period) => {
    expect(parseLeaderboardPeriod(value)).toBe(period);
  });
});

describe("rankScores", () => {
  it("GIVEN tied points THEN the tied members share a rank and the next rank skips", () => {
    const ranked = rankScores([
      { userId: "c", points: 5 },
      { userId: "a", points: 9 },
      { userId: "d", points: 2 },
      { userId: "b", points: 5 },
    ]);
    expect(ranked.map((score) => [score.rank, score.userId])).toEqual([
      [1, "a"],
      [2, "b"],
      [2, "c"],
      [4, "d"],
    ]);
  });
});
