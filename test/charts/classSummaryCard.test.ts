import { describe, expect, it } from "vitest";
import {
  buildClassSummaryCardSvg,
  type ClassSummaryCard,
  classSummaryAltText,
  renderClassSummaryCard,
} from "../../src/charts/classSummaryCard.ts";
import { measureText } from "../../src/charts/fonts.ts";
import { PALETTE } from "../../src/charts/palette.ts";
import { ALT_TEXT_MAX } from "../../src/charts/rasterizeSvg.ts";
import { decodePng } from "./decodePng.ts";
import { saveSample } from "./sampleDir.ts";
import { allText, findElements, inkIn, numberAttribute, pixelIs } from "./svgQuery.ts";

const CARD: ClassSummaryCard = {
  lessonTitle: "How a model picks the next token",
  hostName: "Ada Lovelace 🦊",
  startedAt: new Date("2026-11-29T19:00:00Z"),
  endedAt: new Date("2026-11-29T20:15:00Z"),
  participants: 23,
  questions: 8,
  accuracy: 0.68,
  hardest: { prompt: "Why does the base model continue the text instead of answering?", accuracy: 0.26 },
  podium: [
    { name: "山田太郎", points: 5420 },
    { name: "bob 🐢", points: 4870 },
    { name: "سارة", points: 4015 },
  ],
};

const EMPTY: ClassSummaryCard = {
  ...CARD,
  participants: 0,
  questions: 0,
  accuracy: null,
  hardest: null,
  podium: [],
};

function textOf(card: ClassSummaryCard, className: string): string[] {
  return findElements(buildClassSummaryCardSvg(card).svg, "text", className).map((element) => element.text);
}

describe("buildClassSummaryCardSvg", () => {
  it("GIVEN a finished class THEN writes the lesson, host, date, every figure, the hardest question and the podium", () => {
    const { svg, width, height } = buildClassSummaryCardSvg(CARD);
    expect({ width, height }).toEqual({ width: 900, height: 676 });
    const text = allText(svg);
    expect(text).toContain("How a model picks the next token");
    expect(text).toContain("Hosted by Ada Lovelace 🦊 · Sun 29 Nov 2026, 19:00–20:15 UTC");
    expect(text).toEqual(
      expect.arrayContaining(["23", "participants", "8", "questions", "68%", "answers right", "1 h 15 min"]),
    );
    expect(text).toContain("26% answered right");
    expect(textOf(CARD, "hardest-prompt")).toEqual([
      "Why does the base model continue the text instead of answering?",
    ]);
    expect(textOf(CARD, "podium-name")).toEqual(["bob 🐢", "山田太郎", "سارة"]);
    expect(textOf(CARD, "podium-points")).toEqual(["4,870 points", "5,420 points", "4,015 points"]);
  });

  it("GIVEN the podium THEN 1st stands in the middle on the tallest step, 2nd left, 3rd right and lowest", () => {
    const steps = findElements(buildClassSummaryCardSvg(CARD).svg, "rect", "podium-step");
    const byRank = (rank: number) => steps.find((step) => step.attributes["data-rank"] === String(rank));
    const [first, second, third] = [byRank(1), byRank(2), byRank(3)];
    if (first === undefined || second === undefined || third === undefined) throw new Error("step missing");
    expect(numberAttribute(second, "x")).toBeLessThan(numberAttribute(first, "x"));
    expect(numberAttribute(first, "x")).toBeLessThan(numberAttribute(third, "x"));
    expect(numberAttribute(first, "height")).toBeGreaterThan(numberAttribute(second, "height"));
    expect(numberAttribute(second, "height")).toBeGreaterThan(numberAttribute(third, "height"));
  });

  it("GIVEN accuracies THEN the accuracy and hardest-question bars are as long as the share right", () => {
    const { svg } = buildClassSummaryCardSvg(CARD);
    const [accuracy] = findElements(svg, "rect", "accuracy-bar");
    const [hardest] = findElements(svg, "rect", "hardest-bar");
    if (accuracy === undefined || hardest === undefined) throw new Error("bar missing");
    // Both bars sit in tracks of known width: a tile's inside and the panel's inside.
    expect(numberAttribute(hardest, "width") / (900 - 64 - 32)).toBeCloseTo(0.26, 3);
    const tileInside = (900 - 64 - 3 * 16) / 4 - 32;
    expect(numberAttribute(accuracy, "width") / tileInside).toBeCloseTo(0.68, 3);
  });

  it("GIVEN no participants, no questions, no answers and an empty podium THEN every part says so instead of drawing nothing", () => {
    const text = allText(buildClassSummaryCardSvg(EMPTY).svg);
    expect(text).toEqual(expect.arrayContaining(["0", "participants", "0", "questions", "–", "no answers"]));
    expect(textOf(EMPTY, "hardest-empty")).toEqual(["No questions were asked in this class."]);
    expect(textOf(EMPTY, "podium-empty")).toEqual(["Nobody scored points in this class."]);
    expect(textOf(EMPTY, "podium-name")).toEqual([]);
    expect(findElements(buildClassSummaryCardSvg(EMPTY).svg, "rect", "accuracy-bar")).toHaveLength(0);
    const answeredNothing = { ...EMPTY, questions: 3 };
    expect(textOf(answeredNothing, "hardest-empty")).toEqual(["No question was answered."]);
  });

  it("GIVEN one scorer or more than three THEN shows at most three, vacant steps in the track colour", () => {
    const alone = { ...CARD, podium: [{ name: "solo", points: 1 }] };
    expect(textOf(alone, "podium-name")).toEqual(["solo"]);
    expect(textOf(alone, "podium-points")).toEqual(["1 point"]);
    const fills = findElements(buildClassSummaryCardSvg(alone).svg, "rect", "podium-step").map(
      (step) => step.attributes.fill,
    );
    expect(fills.filter((fill) => fill === PALETTE.track)).toHaveLength(2);
    const crowd = {
      ...CARD,
      podium: ["a", "b", "c", "d", "e"].map((name, index) => ({ name, points: 10 - index })),
    };
    expect(textOf(crowd, "podium-name")).toEqual(["b", "a", "c"]);
  });

  it("GIVEN very long names, title and prompt THEN they are cut with an ellipsis inside their space", () => {
    const long: ClassSummaryCard = {
      ...CARD,
      lessonTitle: "Attention ".repeat(40),
      hostName: "H".repeat(300),
      hardest: { prompt: "Which token comes next? ".repeat(30), accuracy: 0.1 },
      podium: [{ name: "W".repeat(120), points: 123_456_789 }],
    };
    const [title] = textOf(long, "lesson-title");
    expect(title?.endsWith("…")).toBe(true);
    expect(measureText(title ?? "", "sansBold", 30)).toBeLessThanOrEqual(900 - 64);
    const [host] = textOf(long, "host-line");
    const [, hostName, date] =
      /^Hosted by (H+…)( · Sun 29 Nov 2026, 19:00–20:15 UTC)$/.exec(host ?? "") ?? [];
    // The host's name is bold, the rest regular.
    const hostWidth =
      measureText("Hosted by ", "sans", 17) +
      measureText(hostName ?? "", "sansBold", 17) +
      measureText(date ?? "", "sans", 17);
    expect(hostName).toBeDefined();
    expect(hostWidth).toBeLessThanOrEqual(900 - 64);
    const prompt = textOf(long, "hardest-prompt");
    expect(prompt).toHaveLength(2);
    expect(prompt[1]?.endsWith("…")).toBe(true);
    for (const line of prompt) expect(measureText(line, "sans", 20)).toBeLessThanOrEqual(900 - 64 - 32);
    const [name] = textOf(long, "podium-name");
    expect(name?.endsWith("…")).toBe(true);
    expect(measureText(name ?? "", "sansBold", 19)).toBeLessThanOrEqual(210);
    expect(textOf(long, "podium-points")).toEqual(["123,456,789 points"]);
  });

  it("GIVEN markup, bidi overrides and line breaks in text THEN it is escaped, the overrides dropped and lines joined", () => {
    const sneaky: ClassSummaryCard = {
      ...CARD,
      lessonTitle: `<script>alert("x")</script> & more`,
      hostName: "\u202eevil\u202c",
      hardest: { prompt: "Is <b>this</b>\nbold?", accuracy: 0.5 },
      podium: [{ name: `"><svg onload=1>`, points: 3 }],
    };
    const { svg } = buildClassSummaryCardSvg(sneaky);
    expect(svg).not.toContain("<script>");
    expect(svg).not.toContain("<svg onload");
    expect(textOf(sneaky, "lesson-title")).toEqual([`<script>alert("x")</script> & more`]);
    expect(textOf(sneaky, "host-line")[0]).toMatch(/^Hosted by evil · /);
    expect(textOf(sneaky, "hardest-prompt")).toEqual(["Is <b>this</b> bold?"]);
    expect(textOf(sneaky, "podium-name")).toEqual([`"><svg onload=1>`]);
  });

  it("GIVEN a class past midnight, a short one and odd figures THEN the date, duration and accuracy read sensibly", () => {
    const late = {
      ...CARD,
      startedAt: new Date("2026-11-29T23:30:00Z"),
      endedAt: new Date("2026-11-30T00:45:00Z"),
    };
    expect(textOf(late, "host-line")[0]).toContain("Sun 29 Nov 2026, 23:30 – Mon 30 Nov 2026, 00:45 UTC");
    const quick = { ...CARD, endedAt: new Date("2026-11-29T19:00:20Z") };
    expect(allText(buildClassSummaryCardSvg(quick).svg)).toContain("<1 min");
    const twoHours = { ...CARD, endedAt: new Date("2026-11-29T21:00:00Z") };
    expect(allText(buildClassSummaryCardSvg(twoHours).svg)).toContain("2 h");
    expect(allText(buildClassSummaryCardSvg({ ...CARD, accuracy: 1.0000001 }).svg)).toContain("100%");
    expect(allText(buildClassSummaryCardSvg({ ...CARD, accuracy: Number.NaN }).svg)).toContain("no answers");
  });
});

describe("renderClassSummaryCard", () => {
  it("GIVEN a finished class THEN returns a 900×676 PNG with the medal colours on the steps and the names inked", async () => {
    const png = await renderClassSummaryCard(CARD);
    saveSample("class-summary.png", png);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const image = decodePng(png);
    expect({ width: image.width, height: image.height }).toEqual({ width: 900, height: 676 });
    const { svg } = buildClassSummaryCardSvg(CARD);
    for (const step of findElements(svg, "rect", "podium-step")) {
      // Bottom left corner of the step, clear of its rank label.
      const x = numberAttribute(step, "x") + 12;
      const y = numberAttribute(step, "y") + numberAttribute(step, "height") - 10;
      expect(pixelIs(image, x, y, step.attributes.fill ?? ""), `step ${step.attributes["data-rank"]}`).toBe(
        true,
      );
    }
    for (const name of findElements(svg, "text", "podium-name")) {
      const box = {
        x: numberAttribute(name, "x"),
        y: numberAttribute(name, "y") - 20,
        width: 90,
        height: 26,
      };
      expect(inkIn(image, box, PALETTE.panel), name.text).toBeGreaterThan(50);
    }
  });

  it("GIVEN an empty class and a card of long, many-script names THEN still renders", async () => {
    const empty = decodePng(await renderClassSummaryCard(EMPTY));
    expect(empty.width).toBe(900);
    const png = await renderClassSummaryCard({
      ...CARD,
      hostName: "שרה כהן",
      podium: [
        { name: "👩🏽‍🏫 Mrs Kim 김", points: 900 },
        { name: "محمد".repeat(30), points: 800 },
      ],
      hardest: { prompt: "言語モデルは次のトークンをどのように選びますか？".repeat(6), accuracy: 0.55 },
    });
    saveSample("class-summary-scripts.png", png);
    expect(decodePng(png).height).toBe(676);
  });
});

describe("classSummaryAltText", () => {
  it("GIVEN a finished class THEN states every fact of the card", () => {
    expect(classSummaryAltText(CARD)).toBe(
      "Class summary of “How a model picks the next token”, hosted by Ada Lovelace 🦊, " +
        "Sun 29 Nov 2026, 19:00–20:15 UTC (1 h 15 min): 23 participants, 8 questions, accuracy 68%. " +
        "Hardest question: “Why does the base model continue the text instead of answering?”, 26% answered right. " +
        "Podium: 1st 山田太郎 (5,420 points), 2nd bob 🐢 (4,870 points), 3rd سارة (4,015 points).",
    );
  });

  it("GIVEN an empty class or huge texts THEN says so and stays within Discord's limit", () => {
    expect(classSummaryAltText(EMPTY)).toContain(
      "0 participants, 0 questions, no answers. Nobody scored points.",
    );
    const huge = { ...CARD, lessonTitle: "t".repeat(5000), hostName: "h".repeat(5000) };
    expect(classSummaryAltText(huge).length).toBeLessThanOrEqual(ALT_TEXT_MAX);
  });
});
