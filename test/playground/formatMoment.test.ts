import { describe, expect, it } from "vitest";
import { formatMoment } from "../../src/playground/formatMoment.ts";

const now = new Date("2026-03-01T12:00:00Z");
const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);

describe("formatMoment", () => {
  it.each([
    [42, "in 42 s"],
    [-12, "12 s ago"],
    [180, "in 3 min"],
    [-59.6, "1 min ago"],
    [2 * 3600, "in 2 h"],
    [-3 * 86_400, "3 days ago"],
    [0.4, "now"],
  ])("GIVEN a moment %s s from now THEN shows %s", (seconds, expected) => {
    expect(formatMoment(at(seconds), now)).toBe(expected);
  });
});
