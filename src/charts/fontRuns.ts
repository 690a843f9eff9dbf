import { escapeXml } from "./escapeXml.ts";
import { fallbackFor } from "./fonts.ts";

/**
 * Characters that belong to the character before them and must be drawn in its font: the
 * zero-width joiner and variation selectors of emoji sequences, skin-tone modifiers, flag tags
 * and variation selectors of Han (marks are matched separately).
 */
const JOINS_PREVIOUS: readonly [first: number, last: number][] = [
  [0x200d, 0x200d],
  [0xfe00, 0xfe0f],
  [0x1f3fb, 0x1f3ff],
  [0xe0020, 0xe007f],
  [0xe0100, 0xe01ef],
];

const MARK = /^\p{M}$/u;

function joinsPrevious(char: string): boolean {
  const codePoint = char.codePointAt(0) ?? 0;
  return MARK.test(char) || JOINS_PREVIOUS.some(([first, last]) => codePoint >= first && codePoint <= last);
}

/** A stretch of text drawn in one font: `family` is a fallback font's, or undefined for DejaVu. */
interface FontRun {
  text: string;
  family: string | undefined;
}

/**
 * Text content for a `<text>` or `<tspan>` whose baseline is `baseline`: escaped, with every
 * stretch DejaVu cannot draw wrapped in a `<tspan>` naming the bundled fallback font that can.
 *
 * Each such run, and the DejaVu run after it, also repeats the baseline as `y`. That starts a
 * new text chunk where the previous one ended: resvg shapes a whole chunk in every font used in
 * it and drops the chunk when the fonts disagree on the glyph count (ligatures such as `fi`, emoji
 * sequences), and its own fallback gives up at the first character no font has. One font per
 * chunk avoids both. Text DejaVu draws entirely is returned as plain escaped text.
 */
export function fontRuns(text: string, baseline: number): string {
  const runs: FontRun[] = [];
  for (const char of text) {
    const last = runs.at(-1);
    const family = joinsPrevious(char) && last !== undefined ? last.family : familyOf(char);
    if (last !== undefined && last.family === family) last.text += char;
    else runs.push({ text: char, family });
  }
  if (runs.every((run) => run.family === undefined)) return escapeXml(text);
  const y = String(Math.round(baseline * 100) / 100);
  return runs
    .map((run, index) => {
      if (index === 0 && run.family === undefined) return escapeXml(run.text);
      const font = run.family === undefined ? "" : ` font-family="${escapeXml(run.family)}"`;
      return `<tspan y="${y}"${font}>${escapeXml(run.text)}</tspan>`;
    })
    .join("");
}

function familyOf(char: string): string | undefined {
  return fallbackFor(char.codePointAt(0) ?? 0)?.family;
}
