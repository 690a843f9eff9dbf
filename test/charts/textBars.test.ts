import { describe, expect, it } from "vitest";
import { renderTextBars } from "../../src/charts/textBars.ts";

const ROWS = [
  { text: " the", probability: 0.421 },
  { text: "\n", probability: 0.25 },
  { text: "<|im_end|>", probability: 0.1, isSpecial: true },
  { text: " 你好", probability: 0.05 },
  { text: "", probability: 0.0004 },
];

describe("renderTextBars", () => {
  it("GIVEN top-k tokens THEN writes one quoted, visible label per line with a bar and a percentage", () => {
    expect(renderTextBars(ROWS, 60)).toMatchInlineSnapshot(`
      "'␣the'      █████████████████▎                         42.1%
      '↵'         ██████████▎                                25.0%
      <|im_end|>  ████▏                                      10.0%
      '␣你好'     ██                                          5.0%
      '<empty>'                                              <0.1%"
    `);
  });

  it("GIVEN any width THEN every line has the percentage in the same column, at the end", () => {
    for (const width of [30, 60, 100]) {
      const lines = renderTextBars(
        ROWS.filter((row) => !row.text.includes("你")),
        width,
      ).split("\n");
      for (const line of lines) expect(line.length).toBe(width);
    }
  });

  it("GIVEN probabilities THEN bar lengths are proportional, in eighths of a cell", () => {
    const lines = renderTextBars(
      [
        { text: "a", probability: 1 },
        { text: "b", probability: 0.5 },
        { text: "c", probability: 0.0625 },
      ],
      40,
    ).split("\n");
    const bars = lines.map((line) => line.match(/[█▏▎▍▌▋▊▉]+/)?.[0] ?? "");
    expect(bars[0]).toBe("█".repeat(28));
    expect(bars[1]).toBe("█".repeat(14));
    expect(bars[2]).toBe("█▊");
  });

  it("GIVEN a very long token THEN its label is cut with an ellipsis and keeps its quotes", () => {
    const [line] = renderTextBars(
      [{ text: "an extraordinarily long token indeed", probability: 0.2 }],
      60,
    ).split("\n");
    expect(line).toMatch(/^'an␣extraordinarily␣lo…' {2}█/);
  });

  it("GIVEN no tokens THEN says so", () => {
    expect(renderTextBars([], 60)).toBe("(no candidates)");
  });
});
