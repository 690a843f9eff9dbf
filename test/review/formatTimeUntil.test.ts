import { describe, expect, it } from "vitest";
import { formatTimeUntil } from "../../src/review/formatTimeUntil.ts";

const now = new Date("2025-03-10T12:00:00Z");
const after = (ms: number) => new Date(now.getTime() + ms);

describe("formatTimeUntil", () => {
  it.each([
    [-5_000, "now"],
    [0, "now"],
    [30_000, "in less than a minute"],
    [60_000, "in 1 minute"],
    [59 * 60_000, "in 59 minutes"],
    [3 * 3_600_000 + 5 * 60_000, "in 3 hours"],
    [24 * 3_600_000, "in 1 day"],
    [9 * 24 * 3_600_000, "in 9 days"],
  ])("GIVEN %i ms ahead THEN it reads %s", (ms, text) => {
    expect(formatTimeUntil(after(ms), now)).toBe(text);
  });
});
