import { describe, expect, it } from "vitest";
import { computeStreak } from "../../src/progress/computeStreak.ts";
import { utcDay } from "../../src/progress/utcDay.ts";

describe("computeStreak", () => {
  it("GIVEN no activity THEN both streaks are zero", () => {
    expect(computeStreak([], "2025-03-10")).toEqual({ current: 0, longest: 0 });
  });

  it("GIVEN activity on the last three days including today THEN the streak is 3", () => {
    expect(computeStreak(["2025-03-08", "2025-03-09", "2025-03-10"], "2025-03-10")).toEqual({
      current: 3,
      longest: 3,
    });
  });

  it("GIVEN activity up to yesterday but not yet today THEN the streak is still alive", () => {
    expect(computeStreak(["2025-03-08", "2025-03-09"], "2025-03-10")).toEqual({ current: 2, longest: 2 });
  });

  it("GIVEN the last activity two days ago THEN the current streak is broken but the longest remains", () => {
    expect(computeStreak(["2025-03-07", "2025-03-08"], "2025-03-10")).toEqual({ current: 0, longest: 2 });
  });

  it("GIVEN a gap of one day THEN the streak restarts after it", () => {
    const days = ["2025-03-01", "2025-03-02", "2025-03-03", "2025-03-04", "2025-03-06", "2025-03-07"];
    expect(computeStreak(days, "2025-03-07")).toEqual({ current: 2, longest: 4 });
  });

  it("GIVEN unsorted days with duplicates THEN they are counted once, in order", () => {
    expect(computeStreak(["2025-03-10", "2025-03-09", "2025-03-10"], "2025-03-10")).toEqual({
      current: 2,
      longest: 2,
    });
  });

  it("GIVEN a streak across a month and a leap day THEN consecutive calendar days join up", () => {
    expect(computeStreak(["2024-02-28", "2024-02-29", "2024-03-01"], "2024-03-01")).toEqual({
      current: 3,
      longest: 3,
    });
  });
});

describe("utcDay", () => {
  it("GIVEN a late evening in New York THEN the day is already the next one in UTC", () => {
    expect(utcDay(new Date("2025-03-10T21:30:00-05:00"))).toBe("2025-03-11");
  });

  it("GIVEN an early morning in Tokyo THEN the day is still the previous one in UTC", () => {
    expect(utcDay(new Date("2025-03-11T08:59:59+09:00"))).toBe("2025-03-10");
  });
});
