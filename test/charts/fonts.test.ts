import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  canRender,
  FALLBACK_FONTS,
  FONT_FILES,
  fallbackFor,
  fitText,
  fontFilesFor,
  measureText,
} from "../../src/charts/fonts.ts";
import { readTrueType, TrueTypeError } from "../../src/charts/trueType.ts";

describe("bundled fonts", () => {
  it("GIVEN the DejaVu files THEN they exist and are TrueType", () => {
    for (const path of Object.values(FONT_FILES))
      expect(() => readTrueType(readFileSync(path))).not.toThrow();
  });

  it("GIVEN the symbols visibleToken uses THEN the fonts can draw them", () => {
    for (const char of "␣↵⇥◌…█▌�") expect(canRender(char.codePointAt(0) ?? 0), char).toBe(true);
  });

  it("GIVEN Japanese, Chinese, Korean or emoji THEN a fallback font draws them, and DejaVu still draws Latin", () => {
    const fallback = (char: string) => fallbackFor(char.codePointAt(0) ?? 0)?.family;
    expect(["日", "の", "ア", "你"].map(fallback)).toEqual(Array(4).fill("Noto Sans JP"));
    expect(fallback("한")).toBe("NanumGothic");
    expect(fallback("🦊")).toBe("Noto Emoji");
    expect(fallback("a")).toBeUndefined();
    for (const char of "日本語你好한국어🦊") expect(canRender(char.codePointAt(0) ?? 0), char).toBe(true);
  });

  it("GIVEN an Egyptian hieroglyph THEN no bundled font can draw it", () => {
    expect(canRender("𓀀".codePointAt(0) ?? 0)).toBe(false);
  });

  it("GIVEN the fallback font files THEN they exist and are TrueType", () => {
    for (const { file } of FALLBACK_FONTS) expect(() => readTrueType(readFileSync(file))).not.toThrow();
  });

  it("GIVEN Han text THEN it measures one em per character, as drawn by the fallback font", () => {
    expect(measureText("山田太郎", "sansBold", 32)).toBeCloseTo(128, 0);
    expect(measureText("日本語", "mono", 18)).toBeCloseTo(54, 0);
  });

  it("GIVEN an SVG THEN only the fallback fonts it names are loaded", () => {
    const dejaVu = Object.values(FONT_FILES);
    expect(fontFilesFor("<text>Paris</text>")).toEqual(dejaVu);
    expect(fontFilesFor('<text>a<tspan y="1" font-family="Noto Emoji">🦊</tspan></text>')).toEqual([
      ...dejaVu,
      FALLBACK_FONTS.find((font) => font.family === "Noto Emoji")?.file,
    ]);
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
