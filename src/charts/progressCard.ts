import { drawableName } from "./drawableName.ts";
import { FONT_FAMILY, fitText, measureText } from "./fonts.ts";
import { PALETTE } from "./palette.ts";
import { ALT_TEXT_MAX, type RenderedChart, rasterizeSvg } from "./rasterizeSvg.ts";
import { type SvgDocument, svgDocument, svgElement, svgText, svgTspan } from "./svgElement.ts";

/** Quiz answers given on one day. */
export interface DailyAccuracy {
  /** Calendar day, `YYYY-MM-DD`. */
  day: string;
  correct: number;
  total: number;
}

export interface ProgressCardInput {
  /** The member's name as the server shows it. */
  displayName: string;
  lessonsRead: number;
  lessonsTotal: number;
  quizzesTaken: number;
  /** Quiz answers over all time, for the accuracy figure. */
  answersCorrect: number;
  answersTotal: number;
  /**
   * Answers per day, any order. Up to {@link MAX_DAILY_BARS} days are drawn one bar per day;
   * a longer history is drawn per week (the last {@link MAX_WEEKLY_BARS} weeks).
   */
  history: readonly DailyAccuracy[];
  /** Days in a row, ending today or yesterday, with a lesson or quiz. */
  currentStreak: number;
  longestStreak: number;
  /** Review cards due now. */
  dueReviews: number;
}

export const MAX_DAILY_BARS = 14;
export const MAX_WEEKLY_BARS = 12;

/** One bar of the accuracy chart: a day or a week (named by its Monday). */
export interface AccuracyBucket {
  /** `YYYY-MM-DD`: the day, or the Monday of the week. */
  start: string;
  correct: number;
  total: number;
}

const WIDTH = 900;
const MARGIN = 32;
const INNER = WIDTH - 2 * MARGIN;
const TILE_GAP = 16;
const CHART_TOP = 316;
const CHART_HEIGHT = 236;
const PLOT_TOP = CHART_TOP + 72;
const PLOT_HEIGHT = 100;
const HEIGHT = CHART_TOP + CHART_HEIGHT + MARGIN;

/**
 * Builds a member's progress card: name, lessons read with a bar, five figures (quizzes,
 * accuracy, streaks, due reviews) and accuracy over time as bars. 900×584 px.
 */
export function buildProgressCardSvg(input: ProgressCardInput): SvgDocument {
  const parts: string[] = [];
  parts.push(
    svgText(
      {
        class: "display-name",
        x: MARGIN,
        y: 58,
        "font-family": FONT_FAMILY.sans,
        "font-weight": "bold",
        "font-size": 32,
        fill: PALETTE.text,
      },
      fitText(drawableName(input.displayName), "sansBold", 32, INNER),
    ),
    svgText(
      { x: MARGIN, y: 88, "font-family": FONT_FAMILY.sans, "font-size": 17, fill: PALETTE.muted },
      "Progress in LM Tutor",
    ),
  );
  parts.push(lessonsRow(input, 128));
  parts.push(tiles(input, 196));
  parts.push(accuracyChart(accuracyBuckets(input.history), bucketsAreWeeks(input.history)));
  return svgDocument(WIDTH, HEIGHT, PALETTE.background, parts);
}

/** Renders {@link buildProgressCardSvg} to a PNG with the same facts as alt text. */
export async function renderProgressCard(input: ProgressCardInput): Promise<RenderedChart> {
  const { svg, width, height } = buildProgressCardSvg(input);
  return { png: await rasterizeSvg(svg), width, height, altText: progressAltText(input) };
}

/** The card as text for screen readers; the oldest chart bars are left out when over Discord's limit. */
export function progressAltText(input: ProgressCardInput): string {
  const accuracy = accuracyOf(input.answersCorrect, input.answersTotal);
  const facts =
    `Progress of ${input.displayName.trim()}: ` +
    `${input.lessonsRead} of ${input.lessonsTotal} lessons read; ` +
    `${input.quizzesTaken} ${plural(input.quizzesTaken, "quiz", "quizzes")} taken; ` +
    (accuracy === undefined
      ? "no quiz answers yet; "
      : `accuracy ${percent(accuracy)} (${input.answersCorrect} of ${input.answersTotal} answers correct); `) +
    `current streak ${days(input.currentStreak)}, longest ${days(input.longestStreak)}; ` +
    `${input.dueReviews} ${plural(input.dueReviews, "review", "reviews")} due.`;
  const buckets = accuracyBuckets(input.history);
  if (buckets.length === 0) return facts.slice(0, ALT_TEXT_MAX);
  const period = bucketsAreWeeks(input.history) ? "week starting" : "day";
  for (let skipped = 0; ; skipped++) {
    const listed = buckets
      .slice(skipped)
      .map(
        (bucket) =>
          `${bucket.start} ${percent(bucket.correct / bucket.total)} (${bucket.correct}/${bucket.total})`,
      );
    const text = `${facts} Accuracy by ${period}: ${listed.join(", ")}.`;
    if (text.length <= ALT_TEXT_MAX || skipped >= buckets.length) return text.slice(0, ALT_TEXT_MAX);
  }
}

/**
 * Groups daily answers into the chart's bars, oldest first: one per day when there are at most
 * {@link MAX_DAILY_BARS} days with answers, otherwise one per ISO week (Monday to Sunday), the
 * last {@link MAX_WEEKLY_BARS} weeks. Days without answers are skipped.
 */
export function accuracyBuckets(history: readonly DailyAccuracy[]): AccuracyBucket[] {
  const weekly = bucketsAreWeeks(history);
  const byStart = new Map<string, AccuracyBucket>();
  for (const entry of history) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(entry.day)) {
      throw new RangeError(`Expected a day as YYYY-MM-DD, got "${entry.day}"`);
    }
    if (entry.total <= 0) continue;
    const start = weekly ? mondayOf(entry.day) : entry.day;
    const bucket = byStart.get(start) ?? { start, correct: 0, total: 0 };
    byStart.set(start, { start, correct: bucket.correct + entry.correct, total: bucket.total + entry.total });
  }
  const sorted = [...byStart.values()].sort((a, b) => a.start.localeCompare(b.start));
  return sorted.slice(-(weekly ? MAX_WEEKLY_BARS : MAX_DAILY_BARS));
}

function bucketsAreWeeks(history: readonly DailyAccuracy[]): boolean {
  return new Set(history.filter((entry) => entry.total > 0).map((entry) => entry.day)).size > MAX_DAILY_BARS;
}

function mondayOf(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) throw new RangeError(`Expected a day as YYYY-MM-DD, got "${day}"`);
  const sinceMonday = (date.getUTCDay() + 6) % 7;
  date.setUTCDate(date.getUTCDate() - sinceMonday);
  return date.toISOString().slice(0, 10);
}

function lessonsRow(input: ProgressCardInput, y: number): string {
  const fraction =
    input.lessonsTotal > 0 ? Math.min(1, Math.max(0, input.lessonsRead / input.lessonsTotal)) : 0;
  const barY = y + 16;
  return [
    svgText(
      { x: MARGIN, y, "font-family": FONT_FAMILY.sans, "font-size": 19, fill: PALETTE.secondary },
      "Lessons read",
    ),
    svgElement(
      "text",
      {
        x: WIDTH - MARGIN,
        y,
        "text-anchor": "end",
        "font-family": FONT_FAMILY.sans,
        "font-size": 19,
        "xml:space": "preserve",
      },
      svgTspan({ "font-weight": "bold", fill: PALETTE.text }, String(input.lessonsRead)) +
        svgTspan({ fill: PALETTE.secondary }, ` / ${input.lessonsTotal}`),
    ),
    svgElement("rect", {
      class: "lessons-track",
      x: MARGIN,
      y: barY,
      width: INNER,
      height: 16,
      rx: 8,
      fill: PALETTE.track,
    }),
    svgElement("rect", {
      class: "lessons-bar",
      x: MARGIN,
      y: barY,
      width: fraction * INNER,
      height: 16,
      rx: 8,
      fill: PALETTE.good,
    }),
  ].join("");
}

function tiles(input: ProgressCardInput, y: number): string {
  const accuracy = accuracyOf(input.answersCorrect, input.answersTotal);
  const figures: { value: string; unit?: string; label: string; colour?: string }[] = [
    { value: String(input.quizzesTaken), label: plural(input.quizzesTaken, "quiz taken", "quizzes taken") },
    { value: accuracy === undefined ? "–" : percent(accuracy), label: "accuracy" },
    {
      value: String(input.currentStreak),
      unit: plural(input.currentStreak, " day", " days"),
      label: "current streak",
    },
    {
      value: String(input.longestStreak),
      unit: plural(input.longestStreak, " day", " days"),
      label: "longest streak",
    },
    {
      value: String(input.dueReviews),
      label: plural(input.dueReviews, "review due", "reviews due"),
      ...(input.dueReviews > 0 ? { colour: PALETTE.warning } : {}),
    },
  ];
  const width = (INNER - TILE_GAP * (figures.length - 1)) / figures.length;
  return figures
    .map((figure, index) => {
      const x = MARGIN + index * (width + TILE_GAP);
      // Big numbers shrink to stay inside their tile.
      const natural = measureText(figure.value, "sansBold", 32) + measureText(figure.unit ?? "", "sans", 17);
      const scale = Math.min(1, (width - 2 * 16) / natural);
      return svgElement(
        "g",
        { class: "tile" },
        svgElement("rect", { x, y, width, height: 96, rx: 10, fill: PALETTE.panel }) +
          svgElement(
            "text",
            {
              class: "tile-value",
              x: x + 16,
              y: y + 48,
              "font-family": FONT_FAMILY.sans,
              "xml:space": "preserve",
            },
            svgTspan(
              { "font-weight": "bold", "font-size": 32 * scale, fill: figure.colour ?? PALETTE.text },
              figure.value,
            ) +
              (figure.unit === undefined
                ? ""
                : svgTspan({ "font-size": 17 * scale, fill: PALETTE.secondary }, figure.unit)),
          ) +
          svgText(
            {
              class: "tile-label",
              x: x + 16,
              y: y + 78,
              "font-family": FONT_FAMILY.sans,
              "font-size": 16,
              fill: PALETTE.muted,
            },
            figure.label,
          ),
      );
    })
    .join("");
}

function accuracyChart(buckets: readonly AccuracyBucket[], weekly: boolean): string {
  const parts: string[] = [];
  parts.push(
    svgElement("rect", {
      x: MARGIN,
      y: CHART_TOP,
      width: INNER,
      height: CHART_HEIGHT,
      rx: 10,
      fill: PALETTE.panel,
    }),
  );
  parts.push(
    svgElement(
      "text",
      {
        class: "chart-title",
        x: MARGIN + 16,
        y: CHART_TOP + 34,
        "font-family": FONT_FAMILY.sans,
        "font-size": 19,
        "xml:space": "preserve",
      },
      svgTspan(
        { "font-weight": "bold", fill: PALETTE.text },
        weekly ? "Quiz accuracy per week" : "Quiz accuracy per day",
      ) +
        svgTspan(
          { "font-size": 15, fill: PALETTE.muted },
          weekly ? "   weeks start on Monday" : "   share of answers correct",
        ),
    ),
  );
  const plotLeft = MARGIN + 64;
  const plotWidth = WIDTH - MARGIN - 16 - plotLeft;
  const plotBottom = PLOT_TOP + PLOT_HEIGHT;
  for (const fraction of [0, 0.5, 1]) {
    const gridY = plotBottom - fraction * PLOT_HEIGHT;
    parts.push(
      svgElement("line", {
        x1: plotLeft,
        y1: gridY,
        x2: plotLeft + plotWidth,
        y2: gridY,
        stroke: PALETTE.grid,
        "stroke-width": 1,
        "stroke-dasharray": "2 4",
      }),
      svgText(
        {
          x: plotLeft - 10,
          y: gridY + 5,
          "text-anchor": "end",
          "font-family": FONT_FAMILY.sans,
          "font-size": 14,
          fill: PALETTE.muted,
        },
        `${fraction * 100}%`,
      ),
    );
  }
  if (buckets.length === 0) {
    parts.push(
      svgText(
        {
          class: "chart-empty",
          x: plotLeft + plotWidth / 2,
          y: PLOT_TOP + PLOT_HEIGHT / 2 + 6,
          "text-anchor": "middle",
          "font-family": FONT_FAMILY.sans,
          "font-size": 17,
          fill: PALETTE.secondary,
        },
        "No quiz answers yet: take a quiz to start this chart.",
      ),
    );
    return parts.join("");
  }
  // Slots are sized for a full chart, so a bar is as wide on day 2 as on day 14.
  const slot = plotWidth / Math.max(buckets.length, MAX_DAILY_BARS);
  const barWidth = Math.round(slot * 0.6);
  buckets.forEach((bucket, index) => {
    const accuracy = bucket.correct / bucket.total;
    const centre = plotLeft + slot * index + slot / 2;
    const barX = Math.round(centre - barWidth / 2);
    const barHeight = accuracy * PLOT_HEIGHT;
    const label = { "text-anchor": "middle", "font-family": FONT_FAMILY.sans, x: centre } as const;
    parts.push(
      svgElement("rect", {
        class: "accuracy-track",
        x: barX,
        y: PLOT_TOP,
        width: barWidth,
        height: PLOT_HEIGHT,
        fill: PALETTE.track,
      }),
      svgElement("rect", {
        class: "accuracy-bar",
        "data-start": bucket.start,
        "data-accuracy": String(accuracy),
        x: barX,
        y: plotBottom - barHeight,
        width: barWidth,
        height: barHeight,
        fill: PALETTE.instruct,
      }),
      svgText(
        {
          ...label,
          class: "accuracy-percent",
          y: plotBottom - barHeight - 7,
          "font-size": 13,
          fill: PALETTE.text,
        },
        percent(accuracy),
      ),
      svgText(
        { ...label, class: "accuracy-day", y: plotBottom + 22, "font-size": 13, fill: PALETTE.secondary },
        shortDate(bucket.start),
      ),
      svgText(
        { ...label, class: "accuracy-count", y: plotBottom + 40, "font-size": 13, fill: PALETTE.muted },
        `${bucket.correct}/${bucket.total}`,
      ),
    );
  });
  return parts.join("");
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/** `2026-11-05` → `Nov 5`, spelled out so nobody has to guess whether the month or the day comes first. */
function shortDate(day: string): string {
  const month = MONTHS[Number(day.slice(5, 7)) - 1];
  return month === undefined ? day : `${month} ${Number(day.slice(8, 10))}`;
}

function accuracyOf(correct: number, total: number): number | undefined {
  return total > 0 ? correct / total : undefined;
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

function days(count: number): string {
  return `${count} ${plural(count, "day", "days")}`;
}

function plural(count: number, one: string, many: string): string {
  return count === 1 ? one : many;
}
