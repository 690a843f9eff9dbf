import { drawableName } from "./drawableName.ts";
import { FONT_FAMILY, fitText, measureText } from "./fonts.ts";
import { PALETTE } from "./palette.ts";
import { ALT_TEXT_MAX, rasterizeSvg } from "./rasterizeSvg.ts";
import { type SvgDocument, svgDocument, svgElement, svgText, svgTspan } from "./svgElement.ts";
import { wrapText } from "./wrapText.ts";

/** What a class summary card shows; the class feature computes it when a class ends. */
export interface ClassSummaryCard {
  lessonTitle: string;
  hostName: string;
  startedAt: Date;
  endedAt: Date;
  /** Members who answered at least once. */
  participants: number;
  /** Questions asked. */
  questions: number;
  /** Right answers ÷ all answers, 0..1; null if no answers. */
  accuracy: number | null;
  /** The question with the lowest share of right answers; null if none was answered. */
  hardest: { prompt: string; accuracy: number } | null;
  /** Up to 3, best first; more are ignored. */
  podium: { name: string; points: number }[];
}

const WIDTH = 900;
const HEIGHT = 676;
const MARGIN = 32;
const INNER = WIDTH - 2 * MARGIN;
const TILES_TOP = 140;
const TILE_HEIGHT = 96;
const TILE_GAP = 16;
const HARDEST_TOP = 256;
const HARDEST_HEIGHT = 136;
const PODIUM_TOP = 408;
const PODIUM_HEIGHT = HEIGHT - MARGIN - PODIUM_TOP;
const PROMPT_SIZE = 20;
const PROMPT_LINES = 2;
const COLUMN_WIDTH = 210;
const COLUMN_GAP = 16;

/** Places on the podium as drawn from left to right: 2nd, 1st, 3rd. */
const PODIUM_PLACES = [
  { rank: 2, label: "2nd", height: 68, colour: "#C9CDD3" },
  { rank: 1, label: "1st", height: 96, colour: "#F0B232" },
  { rank: 3, label: "3rd", height: 50, colour: "#CD8A55" },
] as const;

/**
 * Builds the card posted when a class ends: the lesson, host, date and length, four figures
 * (participants, questions, accuracy, duration), the hardest question and a podium of the top
 * three. 900×676 px. Names may be in any script the bundled fonts draw, emoji included.
 */
export function buildClassSummaryCardSvg(card: ClassSummaryCard): SvgDocument {
  const parts = [
    svgText(
      {
        x: MARGIN,
        y: 46,
        "font-family": FONT_FAMILY.sans,
        "font-weight": "bold",
        "font-size": 16,
        fill: PALETTE.instruct,
      },
      "Class summary · LM Tutor",
    ),
    svgText(
      {
        class: "lesson-title",
        x: MARGIN,
        y: 84,
        "font-family": FONT_FAMILY.sans,
        "font-weight": "bold",
        "font-size": 30,
        fill: PALETTE.text,
      },
      fitText(drawableName(card.lessonTitle, "Untitled lesson"), "sansBold", 30, INNER),
    ),
    hostLine(card, 116),
    tiles(card, TILES_TOP),
    hardestPanel(card),
    podiumPanel(card.podium.slice(0, 3)),
  ];
  return svgDocument(WIDTH, HEIGHT, PALETTE.background, parts);
}

/** Renders {@link buildClassSummaryCardSvg} to a PNG; {@link classSummaryAltText} describes it in words. */
export async function renderClassSummaryCard(card: ClassSummaryCard): Promise<Buffer> {
  return rasterizeSvg(buildClassSummaryCardSvg(card).svg);
}

/** The card as text for screen readers (the attachment's description), at most {@link ALT_TEXT_MAX} characters. */
export function classSummaryAltText(card: ClassSummaryCard): string {
  const accuracy = shownAccuracy(card.accuracy);
  const hardest = card.hardest;
  const podium = card.podium
    .slice(0, 3)
    .map((entry, index) => `${ordinal(index + 1)} ${short(entry.name)} (${points(entry.points)})`);
  const text =
    `Class summary of “${short(card.lessonTitle)}”, hosted by ${short(card.hostName)}, ` +
    `${dateRange(card.startedAt, card.endedAt)} (${durationWords(card.startedAt, card.endedAt)}): ` +
    `${count(card.participants, "participant", "participants")}, ${count(card.questions, "question", "questions")}, ` +
    (accuracy === null ? "no answers. " : `accuracy ${percent(accuracy)}. `) +
    (hardest === null
      ? ""
      : `Hardest question: “${short(hardest.prompt)}”, ${percent(clampFraction(hardest.accuracy))} answered right. `) +
    (podium.length === 0 ? "Nobody scored points." : `Podium: ${podium.join(", ")}.`);
  return text.slice(0, ALT_TEXT_MAX);
}

function hostLine(card: ClassSummaryCard, y: number): string {
  const prefix = "Hosted by ";
  const suffix = ` · ${dateRange(card.startedAt, card.endedAt)}`;
  const room = INNER - measureText(prefix, "sans", 17) - measureText(suffix, "sans", 17);
  const host = fitText(drawableName(card.hostName, "the host"), "sansBold", 17, room);
  return svgElement(
    "text",
    {
      class: "host-line",
      x: MARGIN,
      y,
      "font-family": FONT_FAMILY.sans,
      "font-size": 17,
      "xml:space": "preserve",
    },
    svgTspan({ fill: PALETTE.muted }, prefix) +
      svgTspan({ "font-weight": "bold", fill: PALETTE.secondary }, host, y) +
      svgTspan({ fill: PALETTE.muted }, suffix),
  );
}

/** A figure drawn as runs: numbers big and bold, units small, as in `1 h 15 min`. */
type FigureRun = { text: string; big: boolean };

function tiles(card: ClassSummaryCard, y: number): string {
  const accuracy = shownAccuracy(card.accuracy);
  const figures: { runs: FigureRun[]; label: string; bar?: number }[] = [
    {
      runs: [{ text: whole(card.participants), big: true }],
      label: plural(card.participants, "participant", "participants"),
    },
    {
      runs: [{ text: whole(card.questions), big: true }],
      label: plural(card.questions, "question", "questions"),
    },
    accuracy === null
      ? { runs: [{ text: "–", big: true }], label: "no answers" }
      : { runs: [{ text: percent(accuracy), big: true }], label: "answers right", bar: accuracy },
    { runs: durationRuns(card.startedAt, card.endedAt), label: "duration" },
  ];
  const width = (INNER - TILE_GAP * (figures.length - 1)) / figures.length;
  return figures
    .map((figure, index) => {
      const x = MARGIN + index * (width + TILE_GAP);
      const natural = figure.runs.reduce(
        (sum, run) => sum + measureText(run.text, run.big ? "sansBold" : "sans", run.big ? 32 : 17),
        0,
      );
      // Big numbers shrink to stay inside their tile.
      const scale = Math.min(1, (width - 2 * 16) / natural);
      const value = figure.runs
        .map((run) =>
          svgTspan(
            run.big
              ? { "font-weight": "bold", "font-size": 32 * scale, fill: PALETTE.text }
              : { "font-size": 17 * scale, fill: PALETTE.secondary },
            run.text,
          ),
        )
        .join("");
      const bar =
        figure.bar === undefined
          ? ""
          : svgElement("rect", {
              x: x + 16,
              y: y + 84,
              width: width - 32,
              height: 5,
              rx: 2.5,
              fill: PALETTE.track,
            }) +
            svgElement("rect", {
              class: "accuracy-bar",
              x: x + 16,
              y: y + 84,
              width: figure.bar * (width - 32),
              height: 5,
              rx: 2.5,
              fill: PALETTE.good,
            });
      return svgElement(
        "g",
        { class: "tile" },
        svgElement("rect", { x, y, width, height: TILE_HEIGHT, rx: 10, fill: PALETTE.panel }) +
          svgElement(
            "text",
            {
              class: "tile-value",
              x: x + 16,
              y: y + 44,
              "font-family": FONT_FAMILY.sans,
              "xml:space": "preserve",
            },
            value,
          ) +
          svgText(
            {
              class: "tile-label",
              x: x + 16,
              y: y + 72,
              "font-family": FONT_FAMILY.sans,
              "font-size": 16,
              fill: PALETTE.muted,
            },
            fitText(figure.label, "sans", 16, width - 32),
          ) +
          bar,
      );
    })
    .join("");
}

function hardestPanel(card: ClassSummaryCard): string {
  const top = HARDEST_TOP;
  const parts = panel(top, HARDEST_HEIGHT, "Hardest question");
  const hardest = card.hardest;
  if (hardest === null) {
    parts.push(
      svgText(
        {
          class: "hardest-empty",
          x: WIDTH / 2,
          y: top + 86,
          "text-anchor": "middle",
          "font-family": FONT_FAMILY.sans,
          "font-size": 17,
          fill: PALETTE.secondary,
        },
        card.questions === 0 ? "No questions were asked in this class." : "No question was answered.",
      ),
    );
    return parts.join("");
  }
  const accuracy = clampFraction(hardest.accuracy);
  const colour = accuracy < 0.5 ? PALETTE.bad : PALETTE.warning;
  parts.push(
    svgElement(
      "text",
      {
        class: "hardest-accuracy",
        x: WIDTH - MARGIN - 16,
        y: top + 34,
        "text-anchor": "end",
        "font-family": FONT_FAMILY.sans,
        "font-size": 17,
        "xml:space": "preserve",
      },
      svgTspan({ "font-weight": "bold", fill: colour }, percent(accuracy)) +
        svgTspan({ fill: PALETTE.secondary }, " answered right"),
    ),
  );
  const textWidth = INNER - 32;
  const lines = wrapText(
    drawableName(hardest.prompt, "(no text)"),
    "sans",
    PROMPT_SIZE,
    textWidth,
    PROMPT_LINES,
  );
  lines.forEach((line, index) => {
    parts.push(
      svgText(
        {
          class: "hardest-prompt",
          x: MARGIN + 16,
          y: top + 68 + index * 28,
          "font-family": FONT_FAMILY.sans,
          "font-size": PROMPT_SIZE,
          fill: PALETTE.text,
        },
        line,
      ),
    );
  });
  const barY = top + HARDEST_HEIGHT - 22;
  parts.push(
    svgElement("rect", { x: MARGIN + 16, y: barY, width: textWidth, height: 8, rx: 4, fill: PALETTE.track }),
    svgElement("rect", {
      class: "hardest-bar",
      x: MARGIN + 16,
      y: barY,
      width: accuracy * textWidth,
      height: 8,
      rx: 4,
      fill: colour,
    }),
  );
  return parts.join("");
}

function podiumPanel(podium: readonly { name: string; points: number }[]): string {
  const top = PODIUM_TOP;
  const bottom = top + PODIUM_HEIGHT;
  const stepsBottom = bottom - 20;
  const parts = panel(top, PODIUM_HEIGHT, "Podium");
  const rowWidth = 3 * COLUMN_WIDTH + 2 * COLUMN_GAP;
  const left = (WIDTH - rowWidth) / 2;
  PODIUM_PLACES.forEach((place, column) => {
    const x = left + column * (COLUMN_WIDTH + COLUMN_GAP);
    const centre = x + COLUMN_WIDTH / 2;
    const stepTop = stepsBottom - place.height;
    const entry = podium[place.rank - 1];
    parts.push(
      svgElement("rect", {
        class: "podium-step",
        "data-rank": place.rank,
        x,
        y: stepTop,
        width: COLUMN_WIDTH,
        height: place.height,
        rx: 6,
        fill: entry === undefined ? PALETTE.track : place.colour,
      }),
      svgText(
        {
          x: centre,
          y: stepTop + 34,
          "text-anchor": "middle",
          "font-family": FONT_FAMILY.sans,
          "font-weight": "bold",
          "font-size": 24,
          fill: entry === undefined ? PALETTE.muted : PALETTE.background,
        },
        place.label,
      ),
    );
    if (entry === undefined) return;
    const name = fitText(drawableName(entry.name), "sansBold", 19, COLUMN_WIDTH);
    parts.push(
      svgText(
        {
          class: "podium-name",
          "data-rank": place.rank,
          // Centred by measuring rather than with text-anchor, which would centre each font run
          // (see fontRuns) on its own start and pile an emoji onto the letters before it.
          x: centre - measureText(name, "sansBold", 19) / 2,
          y: stepTop - 36,
          "font-family": FONT_FAMILY.sans,
          "font-weight": "bold",
          "font-size": 19,
          fill: PALETTE.text,
        },
        name,
      ),
      svgText(
        {
          class: "podium-points",
          "data-rank": place.rank,
          x: centre,
          y: stepTop - 12,
          "text-anchor": "middle",
          "font-family": FONT_FAMILY.sans,
          "font-size": 16,
          fill: PALETTE.secondary,
        },
        fitText(points(entry.points), "sans", 16, COLUMN_WIDTH),
      ),
    );
  });
  if (podium.length === 0) {
    parts.push(
      svgText(
        {
          class: "podium-empty",
          x: WIDTH / 2,
          y: top + 80,
          "text-anchor": "middle",
          "font-family": FONT_FAMILY.sans,
          "font-size": 17,
          fill: PALETTE.secondary,
        },
        "Nobody scored points in this class.",
      ),
    );
  }
  return parts.join("");
}

/** Accuracy as drawn: NaN counts as no answers, anything else is held to 0..1. */
function shownAccuracy(accuracy: number | null): number | null {
  return accuracy === null || Number.isNaN(accuracy) ? null : clampFraction(accuracy);
}

function clampFraction(value: number): number {
  return Number.isNaN(value) ? 0 : Math.min(1, Math.max(0, value));
}

const NUMBER = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

function whole(value: number): string {
  return Number.isFinite(value) ? NUMBER.format(Math.max(0, value)) : "–";
}

function points(value: number): string {
  return `${whole(value)} ${value === 1 ? "point" : "points"}`;
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

function ordinal(rank: number): string {
  return PODIUM_PLACES.find((place) => place.rank === rank)?.label ?? `${rank}th`;
}

function plural(value: number, one: string, many: string): string {
  return value === 1 ? one : many;
}

function count(value: number, one: string, many: string): string {
  return `${whole(value)} ${plural(value, one, many)}`;
}

/** Names and prompts in the alt text: one line, at most 200 characters. */
function short(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  const chars = [...line];
  return chars.length <= 200 ? line : `${chars.slice(0, 199).join("")}…`;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

function valid(date: Date): boolean {
  return !Number.isNaN(date.getTime());
}

/** `Sun 29 Nov 2026`, in UTC: the card is drawn on the server, which cannot know each reader's zone. */
function day(date: Date): string {
  return `${DAYS[date.getUTCDay()]} ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

function clock(date: Date): string {
  return `${String(date.getUTCHours()).padStart(2, "0")}:${String(date.getUTCMinutes()).padStart(2, "0")}`;
}

/** `Sun 29 Nov 2026, 19:00–20:15 UTC`, or with both days when the class ran past midnight. */
function dateRange(start: Date, end: Date): string {
  if (!valid(start)) return "date unknown";
  if (!valid(end) || end.getTime() < start.getTime()) return `${day(start)}, ${clock(start)} UTC`;
  if (day(start) === day(end)) return `${day(start)}, ${clock(start)}–${clock(end)} UTC`;
  return `${day(start)}, ${clock(start)} – ${day(end)}, ${clock(end)} UTC`;
}

function minutesBetween(start: Date, end: Date): number | undefined {
  if (!valid(start) || !valid(end)) return undefined;
  return Math.max(0, Math.round((end.getTime() - start.getTime()) / 60_000));
}

function durationRuns(start: Date, end: Date): FigureRun[] {
  const minutes = minutesBetween(start, end);
  if (minutes === undefined) return [{ text: "–", big: true }];
  if (minutes === 0)
    return [
      { text: "<1", big: true },
      { text: " min", big: false },
    ];
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0)
    return [
      { text: String(rest), big: true },
      { text: " min", big: false },
    ];
  const runs = [
    { text: whole(hours), big: true },
    { text: " h", big: false },
  ];
  return rest === 0 ? runs : [...runs, { text: ` ${rest}`, big: true }, { text: " min", big: false }];
}

/** A class's length as the card shows it: `<1 min`, `42 min`, `1 h 5 min`. */
export function classDurationText(start: Date, end: Date): string {
  return durationRuns(start, end)
    .map((run) => run.text)
    .join("");
}

function durationWords(start: Date, end: Date): string {
  const minutes = minutesBetween(start, end);
  if (minutes === undefined) return "length unknown";
  return durationRuns(start, end)
    .map((run) => run.text)
    .join("")
    .replace(/^<1 min$/, "under a minute");
}

/** A rounded panel across the card with its title: the frame of the hardest question and the podium. */
function panel(top: number, height: number, title: string) {
  return [
    svgElement("rect", { x: MARGIN, y: top, width: INNER, height, rx: 10, fill: PALETTE.panel }),
    svgText(
      {
        x: MARGIN + 16,
        y: top + 34,
        "font-family": FONT_FAMILY.sans,
        "font-weight": "bold",
        "font-size": 19,
        fill: PALETTE.text,
      },
      title,
    ),
  ];
}
