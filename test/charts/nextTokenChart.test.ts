import { describe, expect, it } from "vitest";
import {
  BAR_MAX_WIDTH,
  buildNextTokenSvg,
  MAX_CHART_TOKENS,
  type NextTokenChartInput,
  nextTokenAltText,
  renderNextTokenChart,
  type TokenProbability,
} from "../../src/charts/nextTokenChart.ts";
import { PALETTE } from "../../src/charts/palette.ts";
import { ALT_TEXT_MAX } from "../../src/charts/rasterizeSvg.ts";
import { decodePng, readPngSize } from "./decodePng.ts";
import { saveSample } from "./sampleDir.ts";
import {
  allText,
  countColour,
  findElements,
  inkDifference,
  inkIn,
  numberAttribute,
  pixelIs,
  spans,
} from "./svgQuery.ts";

function tokens(pairs: [text: string, probability: number][]): TokenProbability[] {
  return pairs.map(([text, probability]) => ({ text, probability }));
}

const BASE_TOKENS = tokens([
  [" the", 0.181],
  [" a", 0.092],
  [" Paris", 0.071],
  [" not", 0.043],
  ["\n", 0.038],
  [" also", 0.031],
  [" one", 0.027],
  [" known", 0.02],
  [" located", 0.018],
  [" home", 0.015],
  [",", 0.012],
  [" an", 0.011],
  [" famous", 0.009],
  [" in", 0.008],
  ["\n\n", 0.007],
  [" called", 0.006],
  [' "', 0.005],
  [" <", 0.004],
  ["\t", 0.003],
  [" situated", 0.0004],
]);

const INSTRUCT_TOKENS: TokenProbability[] = [
  { text: "The", probability: 0.62 },
  { text: "Paris", probability: 0.21 },
  { text: "<|im_end|>", probability: 0.05, isSpecial: true },
  { text: "Sure", probability: 0.04 },
  { text: "I", probability: 0.02 },
];

const INPUT: NextTokenChartInput = {
  prompt: "Question: what is the capital of France?\nAnswer: The capital of France is",
  base: { tokens: BASE_TOKENS, modelName: "SmolLM2-135M", appended: { text: " the" } },
  instruct: { tokens: INSTRUCT_TOKENS, modelName: "SmolLM2-135M-Instruct", appended: { text: "The" } },
  step: 3,
};

/** Step 5 of a walk whose instruct model ended its turn at step 4. */
const ENDED_INPUT: NextTokenChartInput = {
  ...INPUT,
  instruct: {
    tokens: [],
    modelName: "SmolLM2-135M-Instruct",
    appended: { text: "<|im_end|>", isSpecial: true },
    ended: true,
  },
  step: 5,
};

/** The header line naming what `panel` appended, as drawn. */
function appendedLabel(svg: string, panel: "base" | "instruct") {
  const found = findElements(svg, "text", "panel-appended").filter(
    (label) => label.attributes["data-panel"] === panel,
  );
  expect(found.length).toBeLessThanOrEqual(1);
  return found[0];
}

describe("buildNextTokenSvg", () => {
  it("GIVEN top-k tokens THEN draws one bar per token whose width is proportional to its probability", () => {
    const { svg } = buildNextTokenSvg(INPUT);
    for (const [panel, expected] of [
      ["base", BASE_TOKENS],
      ["instruct", INSTRUCT_TOKENS],
    ] as const) {
      const bars = findElements(svg, "rect", "bar").filter((bar) => bar.attributes["data-panel"] === panel);
      expect(bars).toHaveLength(expected.length);
      bars.forEach((bar, index) => {
        const probability = expected[index]?.probability ?? Number.NaN;
        expect(numberAttribute(bar, "width")).toBeCloseTo(probability * BAR_MAX_WIDTH, 1);
        expect(bar.attributes.fill).toBe(PALETTE[panel]);
      });
    }
  });

  it("GIVEN top-k tokens THEN every token, percentage, panel title, the prompt and the step are written", () => {
    const { svg } = buildNextTokenSvg(INPUT);
    const labels = findElements(svg, "text", "token-label");
    expect(
      labels.filter((label) => label.attributes["data-panel"] === "base").map((label) => label.text),
    ).toEqual([
      "␣the",
      "␣a",
      "␣Paris",
      "␣not",
      "↵",
      "␣also",
      "␣one",
      "␣known",
      "␣located",
      "␣home",
      ",",
      "␣an",
      "␣famous",
      "␣in",
      "↵↵",
      "␣called",
      '␣"',
      "␣<",
      "⇥",
      "␣situated",
    ]);
    expect(
      labels.filter((label) => label.attributes["data-panel"] === "instruct").map((label) => label.text),
    ).toEqual(["The", "Paris", "<|im_end|>", "Sure", "I"]);
    const percents = findElements(svg, "text", "percent-label").map((label) => label.text);
    expect(percents.slice(0, 3)).toEqual(["18.1%", "9.2%", "7.1%"]);
    expect(percents).toContain("<0.1%");
    expect(percents).toContain("62.0%");
    const text = allText(svg).join("\n");
    expect(text).toContain("Base model (raw text)");
    expect(text).toContain("Instruct model (chat template)");
    expect(text).toContain("SmolLM2-135M-Instruct");
    expect(text).toContain(
      "Prompt: Question: what is the capital of France?↵Answer: The capital of France is",
    );
    expect(text).toContain("Step 3: each model appends its own token, named in its panel");
  });

  it("GIVEN each model appended a different token THEN each panel's header names its own, between the model name and the rows", () => {
    const { svg } = buildNextTokenSvg(INPUT);
    const base = appendedLabel(svg, "base");
    const instruct = appendedLabel(svg, "instruct");
    expect(base && spans(base)).toEqual([
      { fill: PALETTE.secondary, text: "appended " },
      { fill: PALETTE.marker, text: "␣" },
      { fill: PALETTE.text, text: "the" },
    ]);
    expect(instruct && spans(instruct)).toEqual([
      { fill: PALETTE.secondary, text: "appended " },
      { fill: PALETTE.text, text: "The" },
    ]);
    // The step line names no token: the two models' tokens are only in their own panels.
    const step = findElements(svg, "text", "step")[0];
    expect(step?.text).toBe("Step 3: each model appends its own token, named in its panel");
    for (const [panel, label] of [
      ["base", base],
      ["instruct", instruct],
    ] as const) {
      const firstRow = findElements(svg, "text", "token-label").find(
        (row) => row.attributes["data-panel"] === panel,
      );
      if (!label || !firstRow) throw new Error(`no appended label or rows in the ${panel} panel`);
      // At least a line of 18 px text apart: the header line does not run into the first row.
      expect(numberAttribute(firstRow, "y") - numberAttribute(label, "y")).toBeGreaterThanOrEqual(24);
    }
  });

  it("GIVEN a model that ended THEN its panel says what it ended with, in the special colour, and that no token comes next", () => {
    const { svg } = buildNextTokenSvg(ENDED_INPUT);
    const instruct = appendedLabel(svg, "instruct");
    expect(instruct?.attributes["data-ended"]).toBe("true");
    expect(instruct && spans(instruct)).toEqual([
      { fill: PALETTE.secondary, text: "ended with " },
      { fill: PALETTE.special, text: "<|im_end|>" },
    ]);
    expect(appendedLabel(svg, "base")?.text).toBe("appended ␣the");
    expect(findElements(svg, "text", "panel-empty")[0]?.text).toBe("No next token: this model has stopped.");
    expect(allText(svg)).not.toContain("no candidates");
  });

  it("GIVEN step 0 THEN no panel names an appended token and the rows move up", () => {
    const start: NextTokenChartInput = {
      ...INPUT,
      base: { tokens: BASE_TOKENS, modelName: "SmolLM2-135M" },
      instruct: { tokens: INSTRUCT_TOKENS, modelName: "SmolLM2-135M-Instruct" },
      step: 0,
    };
    const { svg, height } = buildNextTokenSvg(start);
    expect(findElements(svg, "text", "panel-appended")).toEqual([]);
    expect(findElements(svg, "text", "step")[0]?.text).toBe("Step 0: the prompt as given");
    expect(height).toBeLessThan(buildNextTokenSvg(INPUT).height);
  });

  it("GIVEN a special token THEN its label is written as-is in the special colour, and markers are quieter than text", () => {
    const labels = findElements(buildNextTokenSvg(INPUT).svg, "text", "token-label");
    const special = labels.find((label) => label.text === "<|im_end|>");
    expect(special && spans(special)).toEqual([{ fill: PALETTE.special, text: "<|im_end|>" }]);
    const ordinary = labels.find((label) => label.text === "␣the");
    expect(ordinary && spans(ordinary)).toEqual([
      { fill: PALETTE.marker, text: "␣" },
      { fill: PALETTE.text, text: "the" },
    ]);
  });

  it("GIVEN a token too long for its column THEN it is cut with an ellipsis", () => {
    const { svg } = buildNextTokenSvg({
      ...INPUT,
      base: { tokens: tokens([[" extraordinarily long token", 0.5]]) },
    });
    expect(findElements(svg, "text", "token-label")[0]?.text).toBe("␣extraordina…");
  });

  it("GIVEN tokens with <, & and quotes THEN the SVG escapes them and still renders", async () => {
    const input: NextTokenChartInput = {
      prompt: `if (a < b && c > "d") '`,
      base: {
        tokens: tokens([
          ["<", 0.5],
          ["&", 0.2],
          ['"', 0.1],
          ["'", 0.05],
          ["</text>", 0.01],
        ]),
      },
      instruct: {
        tokens: [
          ...tokens([
            ["&amp;", 0.4],
            ["\r\n", 0.3],
            ["\u200b", 0.1],
            [" 你好", 0.05],
          ]),
          { text: "<|endoftext|>", probability: 0.01, isSpecial: true },
        ],
      },
    };
    const { svg } = buildNextTokenSvg(input);
    expect(svg).toContain("&lt;");
    expect(svg).toContain("&amp;amp;");
    expect(svg).toContain("&quot;");
    expect(svg).not.toMatch(/>[^<]*<\/text>[^<]*<\/text>/);
    expect(findElements(svg, "text", "token-label").map((label) => label.text)).toEqual([
      "<",
      "&",
      '"',
      "'",
      "</text>",
      "&amp;",
      "<0x0D>↵",
      "<U+200B>",
      "␣你好",
      "<|endoftext|>",
    ]);
    const chart = await renderNextTokenChart(input);
    saveSample("nexttoken-escaping.png", chart.png);
    expect(readPngSize(chart.png)).toEqual({ width: chart.width, height: chart.height });
  });

  it("GIVEN more than 20 tokens in any order THEN the 20 most likely are drawn, most likely first", () => {
    const many = Array.from({ length: 30 }, (_, index) => ({
      text: `t${index}`,
      probability: (index + 1) / 1000,
    }));
    const { svg } = buildNextTokenSvg({ prompt: "x", base: { tokens: many }, instruct: { tokens: [] } });
    const labels = findElements(svg, "text", "token-label").map((label) => label.text);
    expect(labels).toHaveLength(MAX_CHART_TOKENS);
    expect(labels[0]).toBe("t29");
    expect(labels.at(-1)).toBe("t10");
    expect(allText(svg)).toContain("no candidates");
  });

  it("GIVEN more rows THEN the chart is taller and stays 1000 px wide", () => {
    const short = buildNextTokenSvg({ ...INPUT, base: { tokens: BASE_TOKENS.slice(0, 5) } });
    const tall = buildNextTokenSvg(INPUT);
    expect(short.width).toBe(1000);
    expect(tall.width).toBe(1000);
    expect(tall.height).toBeGreaterThan(short.height);
  });

  it("GIVEN a probability outside 0…1 THEN it refuses to draw a misleading bar", () => {
    for (const probability of [1.5, -0.1, Number.NaN]) {
      expect(() => buildNextTokenSvg({ ...INPUT, base: { tokens: [{ text: "x", probability }] } })).toThrow(
        RangeError,
      );
    }
  });
});

describe("renderNextTokenChart", () => {
  const JAPANESE: NextTokenChartInput = {
    prompt: "日本語の本 🦊 は",
    base: {
      tokens: tokens([
        ["日本語", 0.4],
        ["🦊", 0.2],
        ["🙂", 0.1],
        [" dog", 0.05],
      ]),
    },
    instruct: {
      tokens: tokens([
        ["語", 0.5],
        ["한국어", 0.2],
      ]),
    },
  };

  it("GIVEN Japanese, Korean and emoji in the prompt and tokens THEN the SVG keeps them as written and the PNG draws each glyph", async () => {
    const { svg } = buildNextTokenSvg(JAPANESE);
    expect(svg).not.toContain("<U+");
    expect(allText(svg)).toContain("Prompt: 日本語の本 🦊 は");
    const labels = findElements(svg, "text", "token-label");
    expect(labels.map((label) => label.text)).toEqual(["日本語", "🦊", "🙂", "␣dog", "語", "한국어"]);

    const chart = await renderNextTokenChart(JAPANESE);
    saveSample("nexttoken-japanese.png", chart.png);
    const image = decodePng(chart.png);
    const [first, fox, smile] = labels;
    if (first === undefined || fox === undefined || smile === undefined) throw new Error("labels missing");
    // Han is one em wide: 日, 本 and 語 sit in three 18 px cells from the label's x.
    const cell = (label: typeof first, index: number, width = 18) => ({
      x: numberAttribute(label, "x") + index * width,
      y: numberAttribute(label, "y") - 17,
      width,
      height: 22,
    });
    for (const index of [0, 1, 2])
      expect(inkIn(image, cell(first, index), PALETTE.panel)).toBeGreaterThan(40);
    // A missing glyph is drawn as the same empty box each time; real glyphs differ.
    expect(inkDifference(image, cell(first, 0), cell(first, 1), PALETTE.panel)).toBeGreaterThan(40);
    expect(inkDifference(image, cell(first, 1), cell(first, 2), PALETTE.panel)).toBeGreaterThan(40);
    expect(inkDifference(image, cell(fox, 0, 22), cell(smile, 0, 22), PALETTE.panel)).toBeGreaterThan(40);
  });

  it("GIVEN the sample input THEN returns a valid PNG of the stated size, bars in their colours at their rows and ink in every label", async () => {
    const chart = await renderNextTokenChart(INPUT);
    saveSample("nexttoken.png", chart.png);
    expect(chart.png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const image = decodePng(chart.png);
    expect({ width: image.width, height: image.height }).toEqual({
      width: chart.width,
      height: chart.height,
    });

    const { svg } = buildNextTokenSvg(INPUT);
    const bars = findElements(svg, "rect", "bar");
    expect(bars).toHaveLength(BASE_TOKENS.length + INSTRUCT_TOKENS.length);
    for (const bar of bars) {
      const x = numberAttribute(bar, "x");
      const y = numberAttribute(bar, "y");
      const width = numberAttribute(bar, "width");
      const height = numberAttribute(bar, "height");
      const fill = bar.attributes.fill ?? "";
      if (width >= 6) expect(pixelIs(image, x + width / 2, y + height / 2, fill)).toBe(true);
      // Beyond the bar's end is the track, not bar colour: lengths really differ.
      if (x + width + 3 < x + BAR_MAX_WIDTH)
        expect(pixelIs(image, x + width + 3, y + height / 2, fill)).toBe(false);
    }
    for (const label of findElements(svg, "text", "token-label")) {
      const box = {
        x: numberAttribute(label, "x"),
        y: numberAttribute(label, "y") - 16,
        width: 150,
        height: 20,
      };
      expect(inkIn(image, box, PALETTE.panel)).toBeGreaterThan(15);
    }
  });

  it("GIVEN a model that ended THEN the PNG shows its special token in the special colour in that panel's header", async () => {
    const chart = await renderNextTokenChart(ENDED_INPUT);
    saveSample("nexttoken-ended.png", chart.png);
    const image = decodePng(chart.png);
    const label = appendedLabel(buildNextTokenSvg(ENDED_INPUT).svg, "instruct");
    if (!label) throw new Error("no appended label in the instruct panel");
    const line = {
      x: numberAttribute(label, "x"),
      y: numberAttribute(label, "y") - 16,
      width: 300,
      height: 22,
    };
    expect(countColour(image, line, PALETTE.special)).toBeGreaterThan(20);
  });

  it("GIVEN the instruct panel has fewer tokens THEN no instruct bar colour appears below its last row", async () => {
    const chart = await renderNextTokenChart(INPUT);
    const image = decodePng(chart.png);
    const { svg } = buildNextTokenSvg(INPUT);
    const instructBars = findElements(svg, "rect", "bar").filter(
      (bar) => bar.attributes["data-panel"] === "instruct",
    );
    const last = instructBars.at(-1);
    if (last === undefined) throw new Error("no instruct bars");
    const firstX = numberAttribute(last, "x");
    const belowLast = numberAttribute(last, "y") + numberAttribute(last, "height") + 4;
    const emptyRows = { x: firstX, y: belowLast, width: BAR_MAX_WIDTH, height: 15 * 32 - 8 };
    expect(countColour(image, emptyRows, PALETTE.instruct)).toBe(0);
    const filledRow = { x: firstX, y: numberAttribute(last, "y"), width: BAR_MAX_WIDTH, height: 20 };
    expect(countColour(image, filledRow, PALETTE.instruct)).toBeGreaterThan(0);
  });

  it("GIVEN the same input twice THEN the PNG bytes are identical (only bundled fonts are used)", async () => {
    const first = await renderNextTokenChart(INPUT);
    const second = await renderNextTokenChart(INPUT);
    expect(first.png.equals(second.png)).toBe(true);
  });
});

describe("nextTokenAltText", () => {
  it("GIVEN the sample input THEN lists the prompt, step and every token with its percentage", () => {
    const alt = nextTokenAltText(INPUT);
    expect(alt).toContain("Question: what is the capital of France? Answer: The capital of France is");
    expect(alt).toContain("(step 3).");
    expect(alt).toContain("Base model (raw text), which appended “␣the”: “␣the” 18.1%, “␣a” 9.2%");
    expect(alt).toContain("“⇥” 0.3%");
    expect(alt).toContain(
      "Instruct model (chat template), which appended “The”: “The” 62.0%, “Paris” 21.0%, “<|im_end|>” 5.0%",
    );
  });

  it("GIVEN a model that ended THEN says what it ended with and that no token comes next", () => {
    expect(nextTokenAltText(ENDED_INPUT)).toContain(
      "Instruct model (chat template), which ended with “<|im_end|>”: no next token.",
    );
  });

  it("GIVEN 40 long tokens THEN stays within Discord's 1024-character limit by listing fewer per panel", () => {
    const long = Array.from({ length: 20 }, (_, index) => ({
      text: `a rather long token ${index}`,
      probability: 0.01,
    }));
    const alt = nextTokenAltText({
      prompt: "p".repeat(500),
      base: { tokens: long },
      instruct: { tokens: long },
    });
    expect(alt.length).toBeLessThanOrEqual(ALT_TEXT_MAX);
    expect(alt).toMatch(/and \d+ more\./);
  });
});
