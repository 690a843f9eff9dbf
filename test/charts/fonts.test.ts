import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { canRender, FONT_FILES, fitText, measureText } from "../../src/charts/fonts.ts";
import { readTrueType, TrueTypeError } from "../../src/charts/trueType.ts";

describe("bundled fonts", () => {
  it("GIVEN the DejaVu files THEN they exist and are TrueType", () => {
    for (const path of Object.values(FONT_FILES))
      expect(() => readTrueType(readFileSync(path))).not.toThrow();
  });

  it("GIVEN the symbols visibleToken uses THEN the fonts can draw them", () => {
    for (const char of "␣↵⇥◌…█▌�") expect(canRender(char.codePointAt(0) ?? 0), char).toBe(true);
  });

  it("GIVEN Chinese or most emoji THEN the fonts cannot draw them", () => {
    expect(canRender("你".codePointAt(0) ?? 0)).toBe(false);
    expect(canRender("🦊".codePointAt(0) ?? 0)).toBe(false);
  });

  it("GIVEN monospace text THEN every character has the same advance, 0.602 em in DejaVu Sans Mono", () => {
    expect(measureText("iiiii", "mono", 10)).toBeCloseTo(measureText("WWWWW", "mono", 10), 5);
    expect(measureText("0123456789", "mono", 10)).toBeCloseTo(60.2, 1);
  });

  it("GIVEN proportional text THEN narrow letters measure less than wide ones", () => {
    expect(measureText("iiiii", "sans", 10)).toBeLessThan(measureText("WWWWW", "sans", 10));
    expect(measureText("Bold", "sansBold", 20)).toBeGreaterThan(measureText("Bold", "sans", 20));
  });

  it("GIVEN text too wide THEN fitText cuts it with an ellipsis at the chosen end", () => {
    const text = "The capital of France is";
    const start = fitText(text, "mono", 10, 80);
    const end = fitText(text, "mono", 10, 80, "end");
    expect(start).toMatch(/^The capi.*…$/);
    expect(end).toMatch(/^….*France is$/);
    expect(measureText(start, "mono", 10)).toBeLessThanOrEqual(80);
    expect(fitText("short", "mono", 10, 80)).toBe("short");
  });

  it("GIVEN a file that is not a font THEN reading it fails with a TrueTypeError", () => {
    expect(() => readTrueType(Buffer.from("not a font at all"))).toThrow(TrueTypeError);
  });
});
