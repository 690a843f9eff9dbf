import { type FontFace, fitText, measureText } from "./fonts.ts";

/**
 * Breaks `text` into at most `maxLines` lines no wider than `maxWidth` pixels, between words
 * where it can; a word wider than a line (or a run of Chinese or Japanese, written without
 * spaces) is broken between characters. Text left over after the last line is cut there with `…`.
 * Empty text gives no lines.
 */
export function wrapText(
  text: string,
  face: FontFace,
  size: number,
  maxWidth: number,
  maxLines: number,
): string[] {
  const lines: string[] = [];
  let rest = text.replace(/\s+/g, " ").trim();
  while (rest !== "" && lines.length < maxLines) {
    if (lines.length === maxLines - 1 || measureText(rest, face, size) <= maxWidth) {
      lines.push(fitText(rest, face, size, maxWidth));
      break;
    }
    const line = longestLine(rest, face, size, maxWidth);
    lines.push(line.trimEnd());
    rest = rest.slice(line.length).trimStart();
  }
  return lines;
}

/** The longest start of `text` that fits, ending at a space when one is in reach, else between characters. */
function longestLine(text: string, face: FontFace, size: number, maxWidth: number): string {
  const chars = [...text];
  let fits = 0;
  let width = 0;
  for (const char of chars) {
    width += measureText(char, face, size);
    if (width > maxWidth) break;
    fits += 1;
  }
  // At least one character per line, so a glyph wider than the line cannot stall the loop.
  const byChars = chars.slice(0, Math.max(1, fits)).join("");
  if (fits >= chars.length) return byChars;
  const nextIsSpace = chars[fits] === " ";
  if (nextIsSpace) return byChars;
  const lastSpace = byChars.lastIndexOf(" ");
  return lastSpace > 0 ? byChars.slice(0, lastSpace + 1) : byChars;
}
