import { canRender, FONT_FAMILY, fitText, measureText } from "./fonts.ts";
import { formatPercent } from "./formatPercent.ts";
import { PALETTE } from "./palette.ts";
import { ALT_TEXT_MAX, type RenderedChart, rasterizeSvg } from "./rasterizeSvg.ts";
import { type SvgDocument, svgDocument, svgElement, svgText, svgTspan } from "./svgElement.ts";
import { visibleToken, visibleTokenParts } from "./visibleToken.ts";

/** One candidate for the next token. */
export interface TokenProbability {
  /** The token's text, as decoded by the tokenizer. */
  text: string;
  /** Between 0 and 1. */
  probability: number;
  /** A special token such as `<|im_end|>`: drawn as written, in its own colour. Default `false`. */
  isSpecial?: boolean;
}

/** A token a model appended to its text, as its panel names it. */
export type AppendedToken = Pick<TokenProbability, "text" | "isSpecial">;

/** What one model predicts. */
export interface NextTokenPanel {
  /** Candidates; the {@link MAX_CHART_TOKENS} most likely are drawn, most likely first. */
  tokens: readonly TokenProbability[];
  /** Shown under the panel title, for example `SmolLM2-135M`. Default: nothing. */
  modelName?: string;
  /**
   * The token this model's last step appended, written in the panel's header ("appended ␣was"):
   * each model appends its own choice, so each panel names its own. With {@link ended}, the
   * end-of-generation token the model stopped at ("ended with <|im_end|>"). Default: no such line.
   */
  appended?: AppendedToken;
  /** The model appended an end-of-generation token and stopped, so it has no candidates. Default `false`. */
  ended?: boolean;
}

export interface NextTokenChartInput {
  /** The text both models continue; long prompts are shown by their end, which matters most. */
  prompt: string;
  base: NextTokenPanel;
  instruct: NextTokenPanel;
  /** Steps taken (0: the prompt as given), shown under the prompt. Default: no step line. */
  step?: number;
}

/** More rows would not be legible at Discord's preview size. */
export const MAX_CHART_TOKENS = 20;

const PANEL_TITLES = {
  base: "Base model (raw text)",
  instruct: "Instruct model (chat template)",
} as const;

type PanelKey = keyof typeof PANEL_TITLES;

const WIDTH = 1000;
const MARGIN = 24;
const PANEL_GAP = 20;
const PANEL_WIDTH = (WIDTH - 2 * MARGIN - PANEL_GAP) / 2;
const PANEL_PADDING = 16;
/** The panel title; the model name and appended-token lines add to it when any panel has them. */
const PANEL_HEADER = { title: 54, modelLine: 22, appendedLine: 30 } as const;
const ROW_HEIGHT = 32;
const BAR_HEIGHT = 20;
const LABEL_WIDTH = 150;
const PERCENT_WIDTH = 66;
const BAR_GAP = 10;
/** Longest bar, for probability 1: every panel uses the same scale, so bars compare across panels. */
export const BAR_MAX_WIDTH = PANEL_WIDTH - 2 * PANEL_PADDING - LABEL_WIDTH - PERCENT_WIDTH - 2 * BAR_GAP;
const PANEL_FOOTER = 64;
const LEGEND_HEIGHT = 44;

const TOKEN_SIZE = 18;
const PERCENT_SIZE = 17;
const APPENDED_SIZE = 16;

/**
 * Builds the `/nexttoken` chart: the base and the instruct model side by side, each a horizontal
 * bar per candidate token (length ∝ probability, same scale in both panels), with the prompt and
 * the step above. 1000 px wide; the height grows with the number of rows.
 */
export function buildNextTokenSvg(input: NextTokenChartInput): SvgDocument {
  const panels = { base: topTokens(input.base.tokens), instruct: topTokens(input.instruct.tokens) };
  const rows = Math.max(1, panels.base.length, panels.instruct.length);

  const parts: string[] = [];
  parts.push(
    svgText(
      {
        x: MARGIN,
        y: 46,
        "font-family": FONT_FAMILY.sans,
        "font-weight": "bold",
        "font-size": 26,
        fill: PALETTE.text,
      },
      "Next-token probabilities",
    ),
  );
  let y = 82;
  parts.push(promptLine(input.prompt, y));
  if (input.step !== undefined) {
    y += 30;
    parts.push(stepLine(input.step, y));
  }

  const panelTop = y + 22;
  const both = [input.base, input.instruct];
  // Both panels get the same header lines, so their rows stay level.
  const named = both.some((side) => side.modelName !== undefined);
  const appended = both.some((side) => side.appended !== undefined);
  const header =
    PANEL_HEADER.title + (named ? PANEL_HEADER.modelLine : 0) + (appended ? PANEL_HEADER.appendedLine : 0);
  const panelHeight = header + rows * ROW_HEIGHT + PANEL_FOOTER;
  const box = { y: panelTop, height: panelHeight, header };
  parts.push(panel("base", { ...input.base, tokens: panels.base }, { ...box, x: MARGIN }));
  parts.push(
    panel(
      "instruct",
      { ...input.instruct, tokens: panels.instruct },
      { ...box, x: MARGIN + PANEL_WIDTH + PANEL_GAP },
    ),
  );

  parts.push(legend(panelTop + panelHeight + 30));
  return svgDocument(WIDTH, panelTop + panelHeight + LEGEND_HEIGHT, PALETTE.background, parts);
}

/** Renders {@link buildNextTokenSvg} to a PNG with alt text listing every number shown. */
export async function renderNextTokenChart(input: NextTokenChartInput): Promise<RenderedChart> {
  const { svg, width, height } = buildNextTokenSvg(input);
  return { png: await rasterizeSvg(svg), width, height, altText: nextTokenAltText(input) };
}

/**
 * The chart as one paragraph for screen readers, within Discord's alt-text limit: when every
 * token does not fit, each panel lists fewer of its most likely ones.
 */
export function nextTokenAltText(input: NextTokenChartInput): string {
  const flat = input.prompt.replace(/\s+/g, " ").trim();
  const prompt = [...flat].length > 120 ? `…${[...flat].slice(-120).join("")}` : flat;
  const step = input.step === undefined ? "" : ` (step ${input.step})`;
  const base = { ...input.base, tokens: topTokens(input.base.tokens) };
  const instruct = { ...input.instruct, tokens: topTokens(input.instruct.tokens) };
  for (let listed = MAX_CHART_TOKENS; ; listed--) {
    const text =
      `Next-token probabilities after the prompt "${prompt}"${step}. ` +
      `${altPanel("base", base, listed)} ${altPanel("instruct", instruct, listed)} ` +
      "␣ marks a space, ↵ a newline.";
    if (text.length <= ALT_TEXT_MAX || listed === 0) return text.slice(0, ALT_TEXT_MAX);
  }
}

/** `Base model (raw text), which appended “␣was”: “␣a” 12.0%, …` */
function altPanel(key: PanelKey, side: NextTokenPanel, listed: number): string {
  const { tokens, appended, ended = false } = side;
  const quoted = appended && `“${visibleToken(appended.text, appended)}”`;
  const title = !quoted
    ? PANEL_TITLES[key]
    : ended
      ? `${PANEL_TITLES[key]}, which ended with ${quoted}`
      : `${PANEL_TITLES[key]}, which appended ${quoted}`;
  if (tokens.length === 0) return `${title}: ${ended ? "no next token" : "no candidates"}.`;
  const shown = tokens
    .slice(0, listed)
    .map((token) => `“${visibleToken(token.text, token)}” ${formatPercent(token.probability)}`);
  const more = tokens.length > listed ? `, and ${tokens.length - listed} more` : "";
  return `${title}: ${shown.join(", ")}${more}.`;
}

/** The most likely tokens first, at most {@link MAX_CHART_TOKENS}; rejects probabilities outside 0…1. */
export function topTokens(tokens: readonly TokenProbability[]): TokenProbability[] {
  for (const token of tokens) {
    // A little slack above 1 for float sums from softmax.
    if (!(token.probability >= 0 && token.probability <= 1 + 1e-6)) {
      throw new RangeError(`Token probability must be between 0 and 1, got ${token.probability}`);
    }
  }
  return [...tokens].sort((a, b) => b.probability - a.probability).slice(0, MAX_CHART_TOKENS);
}

function promptLine(prompt: string, y: number): string {
  const label = "Prompt: ";
  const shown = prompt
    .split(" ")
    .map((word) => (word === "" ? "" : visibleToken(word, { canRender })))
    .join(" ");
  const available = WIDTH - 2 * MARGIN - measureText(label, "sans", 17);
  return svgElement(
    "text",
    { x: MARGIN, y, "font-family": FONT_FAMILY.sans, "font-size": 17, "xml:space": "preserve" },
    svgTspan({ fill: PALETTE.muted }, label) +
      svgTspan({ fill: PALETTE.text }, fitText(shown, "sans", 17, available, "end"), y),
  );
}

function stepLine(step: number, y: number): string {
  const what = step === 0 ? "the prompt as given" : "each model appends its own token, named in its panel";
  return svgText(
    { class: "step", x: MARGIN, y, "font-family": FONT_FAMILY.sans, "font-size": 17, fill: PALETTE.muted },
    `Step ${step}: ${what}`,
  );
}

/**
 * A token label as tspans: its own characters bright, markers for invisible ones (`␣`, `↵`,
 * `<0x0D>`) muted, special tokens in their own colour. Cut with `…` to fit `maxWidth`.
 */
function tokenSpans(token: AppendedToken, size: number, maxWidth: number, baseline: number): string {
  const parts = visibleTokenParts(token.text, { ...token, canRender });
  const whole = parts.map((part) => part.text).join("");
  const fitted = fitText(whole, "mono", size, maxWidth);
  let budget = fitted === whole ? Number.POSITIVE_INFINITY : [...fitted].length - 1;
  const spans: string[] = [];
  for (const part of parts) {
    if (budget <= 0) break;
    const chars = [...part.text].slice(0, budget);
    budget -= chars.length;
    const colour = token.isSpecial ? PALETTE.special : part.isMarker ? PALETTE.marker : PALETTE.text;
    spans.push(svgTspan({ fill: colour }, chars.join(""), baseline));
  }
  if (fitted !== whole) spans.push(svgTspan({ fill: PALETTE.muted }, "…"));
  return spans.join("");
}

/** Where a panel goes: its top-left corner, its height and how tall its title area is. */
interface PanelBox {
  x: number;
  y: number;
  height: number;
  header: number;
}

/** One model's panel; `side.tokens` are the rows to draw, already ranked and cut. */
function panel(key: PanelKey, side: NextTokenPanel, box: PanelBox): string {
  const { tokens, modelName, appended, ended = false } = side;
  const { x, y, height, header } = box;
  const colour = PALETTE[key];
  const parts: string[] = [];
  const clipId = `panel-${key}`;
  parts.push(
    svgElement("clipPath", { id: clipId }, svgElement("rect", { x, y, width: PANEL_WIDTH, height, rx: 10 })),
    svgElement("rect", { x, y, width: PANEL_WIDTH, height, rx: 10, fill: PALETTE.panel }),
    svgElement("rect", { x, y, width: PANEL_WIDTH, height: 5, fill: colour, "clip-path": `url(#${clipId})` }),
  );
  parts.push(
    svgText(
      {
        x: x + PANEL_PADDING,
        y: y + 38,
        "font-family": FONT_FAMILY.sans,
        "font-weight": "bold",
        "font-size": 20,
        fill: colour,
      },
      PANEL_TITLES[key],
    ),
  );
  if (modelName !== undefined) {
    parts.push(
      svgText(
        {
          x: x + PANEL_PADDING,
          y: y + 62,
          "font-family": FONT_FAMILY.sans,
          "font-size": 15,
          fill: PALETTE.muted,
        },
        fitText(modelName, "sans", 15, PANEL_WIDTH - 2 * PANEL_PADDING),
      ),
    );
  }
  // Level with the other panel's line, just above the rows, whether or not this panel is named.
  if (appended !== undefined)
    parts.push(appendedLine(key, appended, ended, x + PANEL_PADDING, y + header - 14));

  const rowsTop = y + header;
  const group = () => svgElement("g", { class: "panel", "data-panel": key }, parts.join(""));
  if (tokens.length === 0) {
    parts.push(
      svgText(
        {
          class: "panel-empty",
          x: x + PANEL_PADDING,
          y: rowsTop + 22,
          "font-family": FONT_FAMILY.sans,
          "font-size": 16,
          fill: PALETTE.muted,
        },
        ended ? "No next token: this model has stopped." : "no candidates",
      ),
    );
    return group();
  }
  const barX = x + PANEL_PADDING + LABEL_WIDTH + BAR_GAP;
  const gridBottom = rowsTop + tokens.length * ROW_HEIGHT;
  for (const fraction of [0.25, 0.5, 0.75, 1]) {
    const gridX = barX + fraction * BAR_MAX_WIDTH;
    parts.push(
      svgElement("line", {
        x1: gridX,
        y1: rowsTop,
        x2: gridX,
        y2: gridBottom,
        stroke: PALETTE.grid,
        "stroke-width": 1,
        "stroke-dasharray": "2 4",
      }),
    );
  }
  tokens.forEach((token, index) => {
    const rowY = rowsTop + index * ROW_HEIGHT;
    const barY = rowY + (ROW_HEIGHT - BAR_HEIGHT) / 2;
    const rank = index + 1;
    const baseline = rowY + 22;
    parts.push(
      svgElement(
        "text",
        {
          class: "token-label",
          "data-panel": key,
          "data-rank": rank,
          x: x + PANEL_PADDING,
          y: baseline,
          "font-family": FONT_FAMILY.mono,
          "font-size": TOKEN_SIZE,
          "xml:space": "preserve",
        },
        tokenSpans(token, TOKEN_SIZE, LABEL_WIDTH, baseline),
      ),
    );
    parts.push(
      svgElement("rect", {
        class: "track",
        x: barX,
        y: barY,
        width: BAR_MAX_WIDTH,
        height: BAR_HEIGHT,
        rx: 3,
        fill: PALETTE.track,
      }),
    );
    parts.push(
      svgElement("rect", {
        class: "bar",
        "data-panel": key,
        "data-rank": rank,
        "data-probability": String(token.probability),
        x: barX,
        y: barY,
        width: Math.min(1, token.probability) * BAR_MAX_WIDTH,
        height: BAR_HEIGHT,
        rx: 3,
        fill: colour,
      }),
    );
    parts.push(
      svgText(
        {
          class: "percent-label",
          "data-panel": key,
          "data-rank": rank,
          x: x + PANEL_WIDTH - PANEL_PADDING,
          y: rowY + 22,
          "text-anchor": "end",
          "font-family": FONT_FAMILY.sans,
          "font-size": PERCENT_SIZE,
          fill: PALETTE.secondary,
        },
        formatPercent(token.probability),
      ),
    );
  });

  for (const fraction of [0, 0.5, 1]) {
    parts.push(
      svgText(
        {
          x: barX + fraction * BAR_MAX_WIDTH,
          y: gridBottom + 18,
          "text-anchor": fraction === 0 ? "start" : fraction === 1 ? "end" : "middle",
          "font-family": FONT_FAMILY.sans,
          "font-size": 13,
          fill: PALETTE.muted,
        },
        `${fraction * 100}%`,
      ),
    );
  }
  const shown = tokens.reduce((sum, token) => sum + token.probability, 0);
  const summary = `Top ${tokens.length} together: ${formatPercent(Math.min(1, shown))} · all other tokens: ${formatPercent(Math.max(0, 1 - shown))}`;
  parts.push(
    svgText(
      {
        class: "panel-summary",
        x: x + PANEL_PADDING,
        y: gridBottom + 48,
        "font-family": FONT_FAMILY.sans,
        "font-size": 15,
        fill: PALETTE.secondary,
      },
      summary,
    ),
  );
  return group();
}

/**
 * "appended ␣was" (or "ended with <|im_end|>") under a panel's title: the token drawn like the
 * rows' labels, on a chip so it reads as a token rather than as words of the sentence.
 */
function appendedLine(key: PanelKey, token: AppendedToken, ended: boolean, x: number, y: number): string {
  const lead = ended ? "ended with " : "appended ";
  const chipPadding = 4;
  const tokenX = x + measureText(lead, "sans", APPENDED_SIZE) + chipPadding;
  const maxWidth = x + PANEL_WIDTH - 2 * PANEL_PADDING - tokenX - chipPadding;
  const shown = fitText(visibleToken(token.text, { ...token, canRender }), "mono", TOKEN_SIZE, maxWidth);
  const chip = svgElement("rect", {
    x: tokenX - chipPadding,
    y: y - 17,
    width: measureText(shown, "mono", TOKEN_SIZE) + 2 * chipPadding,
    height: 23,
    rx: 4,
    fill: PALETTE.track,
  });
  const label = svgElement(
    "text",
    {
      class: "panel-appended",
      "data-panel": key,
      "data-ended": String(ended),
      x,
      y,
      "font-family": FONT_FAMILY.sans,
      "font-size": APPENDED_SIZE,
      "xml:space": "preserve",
    },
    svgTspan({ fill: PALETTE.secondary }, lead) +
      svgElement(
        "tspan",
        { dx: chipPadding, "font-family": FONT_FAMILY.mono, "font-size": TOKEN_SIZE },
        tokenSpans(token, TOKEN_SIZE, maxWidth, y),
      ),
  );
  return chip + label;
}

function legend(y: number): string {
  const entries: [symbol: string, meaning: string, colour: string][] = [
    ["␣", " space   ", PALETTE.marker],
    ["↵", " newline   ", PALETTE.marker],
    ["⇥", " tab   ", PALETTE.marker],
    ["<0x0D>", " control byte   ", PALETTE.marker],
    ["<|im_end|>", " special token", PALETTE.special],
  ];
  const spans = entries
    .map(
      ([symbol, meaning, colour]) =>
        svgTspan({ "font-family": FONT_FAMILY.mono, fill: colour }, symbol) +
        svgTspan({ fill: PALETTE.muted }, meaning),
    )
    .join("");
  return svgElement(
    "text",
    { x: MARGIN, y, "font-family": FONT_FAMILY.sans, "font-size": 15, "xml:space": "preserve" },
    spans,
  );
}
