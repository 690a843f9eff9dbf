import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { readTrueType, type TrueTypeMetrics } from "./trueType.ts";

/** The faces charts use. Only these bundled files are ever loaded, so a chart looks the same everywhere. */
export type FontFace = "sans" | "sansBold" | "mono";

/** `font-family` values as the fonts name themselves; the SVG must use exactly these. */
export const FONT_FAMILY = { sans: "DejaVu Sans", mono: "DejaVu Sans Mono" } as const;

const fontDir = join(dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json")), "ttf");

/** Absolute paths of the bundled DejaVu files, in the order resvg should load them. */
export const FONT_FILES: Readonly<Record<FontFace, string>> = {
  sans: join(fontDir, "DejaVuSans.ttf"),
  sansBold: join(fontDir, "DejaVuSans-Bold.ttf"),
  mono: join(fontDir, "DejaVuSansMono.ttf"),
};

let metricsCache: Record<FontFace, TrueTypeMetrics> | undefined;

function metrics(): Record<FontFace, TrueTypeMetrics> {
  metricsCache ??= {
    sans: readTrueType(readFileSync(FONT_FILES.sans)),
    sansBold: readTrueType(readFileSync(FONT_FILES.sansBold)),
    mono: readTrueType(readFileSync(FONT_FILES.mono)),
  };
  return metricsCache;
}

const FALLBACK_ORDER: readonly FontFace[] = ["sans", "sansBold", "mono"];

/** Whether some bundled font has a glyph for this code point (resvg falls back across them). */
export function canRender(codePoint: number): boolean {
  const all = metrics();
  return FALLBACK_ORDER.some((face) => all[face].advanceOf(codePoint) !== undefined);
}

/**
 * Width in pixels of `text` drawn in `face` at `size` px, following resvg's fallback to the
 * other bundled fonts. Kerning is ignored, so the result may be a pixel or two wide; callers
 * leave that much slack.
 */
export function measureText(text: string, face: FontFace, size: number): number {
  const all = metrics();
  let ems = 0;
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
    const drawnBy = [face, ...FALLBACK_ORDER].map((candidate) => all[candidate]);
    const font = drawnBy.find((candidate) => candidate.advanceOf(codePoint) !== undefined);
    // A missing glyph draws as an empty box about as wide as a digit.
    ems += font === undefined ? 0.6 : (font.advanceOf(codePoint) ?? 0) / font.unitsPerEm;
  }
  return ems * size;
}

/**
 * Shortens `text` with an ellipsis until it fits `maxWidth` pixels. `keep: "end"` drops the
 * start instead, for prompts, whose end is what the next token depends on.
 */
export function fitText(
  text: string,
  face: FontFace,
  size: number,
  maxWidth: number,
  keep: "start" | "end" = "start",
): string {
  if (measureText(text, face, size) <= maxWidth) return text;
  const chars = [...text];
  let low = 0;
  let high = chars.length;
  // Binary search for the longest kept slice that fits together with the ellipsis.
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (measureText(withEllipsis(chars, mid, keep), face, size) <= maxWidth) low = mid;
    else high = mid - 1;
  }
  return withEllipsis(chars, low, keep);
}

function withEllipsis(chars: string[], count: number, keep: "start" | "end"): string {
  return keep === "start"
    ? `${chars.slice(0, count).join("")}…`
    : `…${chars.slice(chars.length - count).join("")}`;
}
