import { describe, expect, it } from "vitest";
import { FALLBACK_FONTS, FONT_FILES, fontFilesRead } from "../../src/charts/fonts.ts";
import {
  buildNextTokenSvg,
  type NextTokenChartInput,
  renderNextTokenChart,
} from "../../src/charts/nextTokenChart.ts";
import { PALETTE } from "../../src/charts/palette.ts";
import { decodePng } from "./decodePng.ts";
import { findElements, inkDifference, inkIn, numberAttribute } from "./svgQuery.ts";

// Fonts and resvg load on first use, once per process; vitest gives this file a fresh module
// state, so the order below is the order a bot meets them in.

const fileOf = (family: string) => FALLBACK_FONTS.find((font) => font.family === family)?.file;

const latin: NextTokenChartInput = {
  prompt: "The capital of France is",
  base: { tokens: [{ text: " Paris", probability: 0.6 }] },
  instruct: { tokens: [{ text: " Paris", probability: 0.8 }] },
};

const japanese: NextTokenChartInput = {
  prompt: "日本の首都は",
  base: { tokens: [{ text: "東京都", probability: 0.7 }] },
  instruct: { tokens: [{ text: "東京", probability: 0.9 }] },
};

describe("fonts loaded on first use", () => {
  it("GIVEN a fresh process THEN no font file has been read yet", () => {
    expect(fontFilesRead()).toEqual([]);
  });

  it("GIVEN a chart in Latin script THEN only the DejaVu files are read, never a fallback font", async () => {
    const chart = await renderNextTokenChart(latin);
    expect(chart.png.length).toBeGreaterThan(0);
    expect(fontFilesRead().length).toBeGreaterThan(0);
    for (const file of fontFilesRead()) expect(Object.values(FONT_FILES)).toContain(file);
  });

  it("GIVEN a Japanese chart after a Latin one THEN the CJK font is read then, and its glyphs are drawn", async () => {
    const chart = await renderNextTokenChart(japanese);
    expect(fontFilesRead()).toContain(fileOf("Noto Sans JP"));
    expect(fontFilesRead()).not.toContain(fileOf("Noto Emoji"));

    const image = decodePng(chart.png);
    const [label] = findElements(buildNextTokenSvg(japanese).svg, "text", "token-label");
    if (label === undefined) throw new Error("no token label");
    // Han is one em wide: 東, 京 and 都 sit in three 18 px cells from the label's x.
    const cell = (index: number) => ({
      x: numberAttribute(label, "x") + index * 18,
      y: numberAttribute(label, "y") - 17,
      width: 18,
      height: 22,
    });
    for (const index of [0, 1, 2]) expect(inkIn(image, cell(index), PALETTE.panel)).toBeGreaterThan(40);
    // Missing glyphs would all be the same empty box; real glyphs differ.
    expect(inkDifference(image, cell(0), cell(1), PALETTE.panel)).toBeGreaterThan(40);
    expect(inkDifference(image, cell(1), cell(2), PALETTE.panel)).toBeGreaterThan(40);
  });
});
