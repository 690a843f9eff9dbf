import { formatPercent } from "./formatPercent.ts";
import { type TokenProbability, topTokens } from "./nextTokenChart.ts";
import { visibleToken } from "./visibleToken.ts";

/** Longest token label before it is cut with `…`, in terminal columns. */
const MAX_LABEL_COLUMNS = 24;
const PERCENT_COLUMNS = 6;
/** Partial blocks by eighths: index 1 is ⅛ of a cell, 7 is ⅞. */
const PARTIAL_BLOCKS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"] as const;

/**
 * The `/nexttoken` top-k as text bars for the terminal playground, one line per token, most
 * likely first: `'␣the'  ████████▌          42.1%`. Ordinary tokens are quoted; special tokens
 * (`<|im_end|>`) are not, which is how they stand out without colour. Bars use the same
 * absolute scale as the PNG chart: a full bar is 100%.
 *
 * @param width Characters per line, at least 20. Default 60.
 */
export function renderTextBars(rows: readonly TokenProbability[], width = 60): string {
  const tokens = topTokens(rows);
  if (tokens.length === 0) return "(no candidates)";
  const labels = tokens.map((token) =>
    token.isSpecial
      ? cutColumns(token.text, MAX_LABEL_COLUMNS)
      : `'${cutColumns(visibleToken(token.text), MAX_LABEL_COLUMNS - 2)}'`,
  );
  const labelColumns = Math.max(...labels.map(columnsOf));
  const barColumns = Math.max(1, Math.max(20, width) - labelColumns - PERCENT_COLUMNS - 3);
  return tokens
    .map((token, index) => {
      const label = padColumns(labels[index] ?? "", labelColumns);
      const bar = padColumns(textBar(token.probability, barColumns), barColumns);
      return `${label}  ${bar} ${formatPercent(token.probability).padStart(PERCENT_COLUMNS)}`;
    })
    .join("\n");
}

function textBar(probability: number, columns: number): string {
  const eighths = Math.round(Math.min(1, probability) * columns * 8);
  return "█".repeat(Math.floor(eighths / 8)) + PARTIAL_BLOCKS[eighths % 8];
}

/** Terminal columns `text` takes: East Asian wide characters and emoji take two, combining marks none. */
function columnsOf(text: string): number {
  let columns = 0;
  for (const char of text) columns += charColumns(char);
  return columns;
}

function charColumns(char: string): number {
  if (/\p{M}/u.test(char)) return 0;
  const codePoint = char.codePointAt(0) ?? 0;
  const wide =
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf && codePoint !== 0x303f) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x1f300 && codePoint <= 0x1faff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd);
  return wide ? 2 : 1;
}

function cutColumns(text: string, columns: number): string {
  if (columnsOf(text) <= columns) return text;
  let kept = "";
  for (const char of text) {
    if (columnsOf(kept) + charColumns(char) > columns - 1) break;
    kept += char;
  }
  return `${kept}…`;
}

function padColumns(text: string, columns: number): string {
  return text + " ".repeat(Math.max(0, columns - columnsOf(text)));
}
