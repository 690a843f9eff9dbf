import { describe, expect, it } from "vitest";
import { measureText } from "../../src/charts/fonts.ts";
import { wrapText } from "../../src/charts/wrapText.ts";

describe("wrapText", () => {
  it("GIVEN text that fits THEN one line, with runs of whitespace made one space", () => {
    expect(wrapText("  What  is\na token? ", "sans", 20, 800, 2)).toEqual(["What is a token?"]);
  });

  it("GIVEN text too long for one line THEN breaks between words and every line fits", () => {
    const text = "the quick brown fox jumps over the lazy dog ".repeat(3).trim();
    const lines = wrapText(text, "sans", 20, 300, 10);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.join(" ")).toBe(text);
    for (const line of lines) {
      expect(measureText(line, "sans", 20)).toBeLessThanOrEqual(300);
      expect(line).not.toMatch(/^ | $/);
    }
    // Greedy: the next line's first word would not have fitted on the line before.
    for (let index = 0; index + 1 < lines.length; index++) {
      const nextWord = lines[index + 1]?.split(" ")[0];
      expect(measureText(`${lines[index]} ${nextWord}`, "sans", 20)).toBeGreaterThan(300);
    }
  });

  it("GIVEN more text than the lines allow THEN the last line ends with an ellipsis and fits", () => {
    const lines = wrapText("word ".repeat(200), "sans", 20, 300, 2);
    expect(lines).toHaveLength(2);
    expect(lines[1]?.endsWith("…")).toBe(true);
    expect(measureText(lines[1] ?? "", "sans", 20)).toBeLessThanOrEqual(300);
  });

  it("GIVEN Japanese without spaces or one overlong word THEN breaks between characters", () => {
    const japanese = wrapText("言語モデルは次のトークンを選びます".repeat(3), "sans", 20, 200, 3);
    expect(japanese).toHaveLength(3);
    expect(japanese[0]).toHaveLength(10);
    const word = wrapText("x".repeat(100), "sans", 20, 200, 10);
    expect(word.join("")).toBe("x".repeat(100));
    for (const line of word) expect(measureText(line, "sans", 20)).toBeLessThanOrEqual(200);
  });

  it("GIVEN empty text THEN no lines", () => {
    expect(wrapText(" \n ", "sans", 20, 200, 2)).toEqual([]);
  });
});
