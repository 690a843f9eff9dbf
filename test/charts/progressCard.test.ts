import { describe, expect, it } from "vitest";
import { PALETTE } from "../../src/charts/palette.ts";
import {
  accuracyBuckets,
  buildProgressCardSvg,
  type DailyAccuracy,
  type ProgressCardInput,
  progressAltText,
  renderProgressCard,
} from "../../src/charts/progressCard.ts";
import { ALT_TEXT_MAX } from "../../src/charts/rasterizeSvg.ts";
import { decodePng } from "./decodePng.ts";
import { saveSample } from "./sampleDir.ts";
import { allText, findElements, inkDifference, inkIn, numberAttribute, pixelIs } from "./svgQuery.ts";

const HISTORY: DailyAccuracy[] = [
  { day: "2026-11-12", correct: 3, total: 5 },
  { day: "2026-11-10", correct: 3, total: 3 },
  { day: "2026-11-11", correct: 3, total: 4 },
  { day: "2026-11-13", correct: 6, total: 6 },
  { day: "2026-11-14", correct: 0, total: 3 },
  { day: "2026-11-16", correct: 5, total: 5 },
  { day: "2026-11-17", correct: 5, total: 6 },
  { day: "2026-11-18", correct: 1, total: 3 },
  { day: "2026-11-19", correct: 4, total: 4 },
  { day: "2026-11-15", correct: 0, total: 0 },
];

const INPUT: ProgressCardInput = {
  displayName: "Ada Lovelace 🦊",
  lessonsRead: 7,
  lessonsTotal: 12,
  quizzesTaken: 9,
  answersCorrect: 30,
  answersTotal: 39,
  history: HISTORY,
  currentStreak: 3,
  longestStreak: 8,
  dueReviews: 4,
};

/** One answer a day for `days` days from 1 September 2026, right on even days. */
function longHistory(days: number): DailyAccuracy[] {
  return Array.from({ length: days }, (_, index) => ({
    day: new Date(Date.UTC(2026, 8, 1 + index)).toISOString().slice(0, 10),
    correct: index % 2 === 0 ? 1 : 0,
    total: 1,
  }));
}

describe("accuracyBuckets", () => {
  it("GIVEN up to 14 days THEN one bucket per day with answers, oldest first", () => {
    const buckets = accuracyBuckets(HISTORY);
    expect(buckets.map((bucket) => bucket.start)).toEqual([
      "2026-11-10",
      "2026-11-11",
      "2026-11-12",
      "2026-11-13",
      "2026-11-14",
      "2026-11-16",
      "2026-11-17",
      "2026-11-18",
      "2026-11-19",
    ]);
  });

  it("GIVEN more than 14 days THEN one bucket per Monday-to-Sunday week, the last 12 weeks", () => {
    const buckets = accuracyBuckets(longHistory(100));
    expect(buckets).toHaveLength(12);
    // 1 September 2026 is a Tuesday; the last of 100 days is 9 December, a Wednesday.
    expect(buckets.at(-1)).toEqual({ start: "2026-12-07", correct: 1, total: 3 });
    expect(buckets[0]?.start).toBe("2026-09-21");
    for (const bucket of buckets) expect(new Date(`${bucket.start}T00:00:00Z`).getUTCDay()).toBe(1);
  });

  it("GIVEN a malformed day THEN refuses it", () => {
    expect(() => accuracyBuckets([{ day: "19/11/2026", correct: 1, total: 1 }])).toThrow(RangeError);
  });
});

describe("buildProgressCardSvg", () => {
  it("GIVEN a member's progress THEN writes every figure and label", () => {
    const text = allText(buildProgressCardSvg(INPUT).svg);
    expect(text).toContain("Ada Lovelace 🦊");
    expect(text).toContain("Lessons read");
    expect(text).toContain("7 / 12");
    expect(text).toEqual(
      expect.arrayContaining(["9", "quizzes taken", "77%", "accuracy", "3 days", "current streak"]),
    );
    expect(text).toEqual(
      expect.arrayContaining([
        "8 days",
        "longest streak",
        "4",
        "reviews due",
        "Quiz accuracy per day   share of answers correct",
      ]),
    );
  });

  it("GIVEN lessons read THEN the lesson bar is as long as the share read", () => {
    const { svg } = buildProgressCardSvg(INPUT);
    const [track] = findElements(svg, "rect", "lessons-track");
    const [bar] = findElements(svg, "rect", "lessons-bar");
    if (track === undefined || bar === undefined) throw new Error("lesson bar missing");
    expect(numberAttribute(bar, "width") / numberAttribute(track, "width")).toBeCloseTo(7 / 12, 3);
  });

  it("GIVEN daily history THEN one accuracy bar per day, height proportional to accuracy, with its date and count", () => {
    const { svg } = buildProgressCardSvg(INPUT);
    const bars = findElements(svg, "rect", "accuracy-bar");
    const tracks = findElements(svg, "rect", "accuracy-track");
    expect(bars).toHaveLength(9);
    bars.forEach((bar, index) => {
      const bucket = accuracyBuckets(HISTORY)[index];
      if (bucket === undefined) throw new Error("bucket missing");
      const full = numberAttribute(tracks[index] ?? bar, "height");
      expect(numberAttribute(bar, "height") / full).toBeCloseTo(bucket.correct / bucket.total, 3);
    });
    expect(findElements(svg, "text", "accuracy-day").map((label) => label.text)).toEqual([
      "Nov 10",
      "Nov 11",
      "Nov 12",
      "Nov 13",
      "Nov 14",
      "Nov 16",
      "Nov 17",
      "Nov 18",
      "Nov 19",
    ]);
    expect(findElements(svg, "text", "accuracy-count").map((label) => label.text)).toContain("0/3");
    expect(findElements(svg, "text", "accuracy-percent").map((label) => label.text)).toContain("83%");
  });

  it("GIVEN no answers yet THEN the accuracy reads a dash and the chart invites a first quiz", () => {
    const { svg } = buildProgressCardSvg({
      ...INPUT,
      quizzesTaken: 0,
      answersCorrect: 0,
      answersTotal: 0,
      history: [],
    });
    expect(findElements(svg, "rect", "accuracy-bar")).toHaveLength(0);
    expect(findElements(svg, "text", "chart-empty")).toHaveLength(1);
    expect(allText(svg)).toContain("–");
  });

  it("GIVEN a name with markup, Chinese and a character no bundled font has THEN it is escaped and no character is lost", () => {
    const name = (displayName: string) =>
      findElements(buildProgressCardSvg({ ...INPUT, displayName }).svg, "text", "display-name")[0]?.text;
    expect(name(`<b>"Tom" & 你</b>`)).toBe(`<b>"Tom" & 你</b>`);
    expect(name("你好")).toBe("你好");
    // An Egyptian hieroglyph: no bundled font has it, so it is named rather than dropped.
    expect(name("Tom 𓀀")).toBe("Tom <U+13000>");
    expect(name("\u202eevil\u202c")).toBe("evil");
  });
});

describe("renderProgressCard", () => {
  it("GIVEN a member's progress THEN returns a 900×584 PNG with the bars drawn where the SVG says and the name inked", async () => {
    const card = await renderProgressCard(INPUT);
    saveSample("progress-card.png", card.png);
    const image = decodePng(card.png);
    expect({ width: image.width, height: image.height }).toEqual({ width: 900, height: 584 });
    expect({ width: card.width, height: card.height }).toEqual({ width: 900, height: 584 });

    const { svg } = buildProgressCardSvg(INPUT);
    const [lessons] = findElements(svg, "rect", "lessons-bar");
    if (lessons === undefined) throw new Error("lesson bar missing");
    const lessonsEnd = numberAttribute(lessons, "x") + numberAttribute(lessons, "width");
    const lessonsMiddle = numberAttribute(lessons, "y") + 8;
    expect(pixelIs(image, lessonsEnd - 20, lessonsMiddle, PALETTE.good)).toBe(true);
    expect(pixelIs(image, lessonsEnd + 20, lessonsMiddle, PALETTE.good)).toBe(false);

    for (const bar of findElements(svg, "rect", "accuracy-bar")) {
      const height = numberAttribute(bar, "height");
      const x = numberAttribute(bar, "x") + numberAttribute(bar, "width") / 2;
      const y = numberAttribute(bar, "y");
      if (height >= 4) expect(pixelIs(image, x, y + height / 2, PALETTE.instruct)).toBe(true);
      if (height <= 96) expect(pixelIs(image, x, y - 3, PALETTE.instruct)).toBe(false);
    }
    expect(inkIn(image, { x: 32, y: 30, width: 250, height: 36 }, PALETTE.background)).toBeGreaterThan(200);
  });

  it("GIVEN a member named 山田太郎 THEN the card keeps the name and draws its four glyphs", async () => {
    const input = { ...INPUT, displayName: "山田太郎" };
    const [name] = findElements(buildProgressCardSvg(input).svg, "text", "display-name");
    expect(name?.text).toBe("山田太郎");
    const card = await renderProgressCard(input);
    saveSample("progress-card-japanese.png", card.png);
    const image = decodePng(card.png);
    // Han is one em wide: four 32 px cells from x = 32 on the baseline at y = 58.
    const cell = (index: number) => ({ x: 32 + index * 32, y: 30, width: 32, height: 36 });
    for (const index of [0, 1, 2, 3])
      expect(inkIn(image, cell(index), PALETTE.background)).toBeGreaterThan(60);
    // A missing glyph is drawn as the same empty box each time; 山, 田, 太 and 郎 differ.
    for (const index of [0, 1, 2])
      expect(inkDifference(image, cell(index), cell(index + 1), PALETTE.background)).toBeGreaterThan(60);
  });

  it("GIVEN a long history THEN draws weekly bars and saves a sample", async () => {
    const card = await renderProgressCard({ ...INPUT, history: longHistory(100) });
    saveSample("progress-card-weekly.png", card.png);
    expect(allText(buildProgressCardSvg({ ...INPUT, history: longHistory(100) }).svg)).toContain(
      "Quiz accuracy per week   weeks start on Monday",
    );
  });
});

describe("progressAltText", () => {
  it("GIVEN a member's progress THEN states every figure and the accuracy per day", () => {
    expect(progressAltText(INPUT)).toBe(
      "Progress of Ada Lovelace 🦊: 7 of 12 lessons read; 9 quizzes taken; accuracy 77% (30 of 39 answers correct); " +
        "current streak 3 days, longest 8 days; 4 reviews due. Accuracy by day: 2026-11-10 100% (3/3), " +
        "2026-11-11 75% (3/4), 2026-11-12 60% (3/5), 2026-11-13 100% (6/6), 2026-11-14 0% (0/3), 2026-11-16 100% (5/5), " +
        "2026-11-17 83% (5/6), 2026-11-18 33% (1/3), 2026-11-19 100% (4/4).",
    );
  });

  it("GIVEN a very long name THEN stays within Discord's limit", () => {
    expect(progressAltText({ ...INPUT, displayName: "n".repeat(2000) }).length).toBeLessThanOrEqual(
      ALT_TEXT_MAX,
    );
  });
});
