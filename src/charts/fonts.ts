import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { readTrueType, type TrueTypeMetrics } from "./trueType.ts";

/** The faces charts use. Only these bundled files are ever loaded, so a chart looks the same everywhere. */
export type FontFace = "sans" | "sansBold" | "mono";

/** `font-family` values as the fonts name themselves; the SVG must use exactly these. */
export const FONT_FAMILY = { sans: "DejaVu Sans", mono: "DejaVu Sans Mono" } as const;

const require = createRequire(import.meta.url);

/** Where a file of an installed npm package is; fonts come from packages so nothing is downloaded at run time. */
function packageFile(packageName: string, file: string): string {
  return join(dirname(require.resolve(`${packageName}/package.json`)), file);
}

/** Absolute paths of the bundled DejaVu files, in the order resvg should load them. */
export const FONT_FILES: Readonly<Record<FontFace, string>> = {
  sans: packageFile("dejavu-fonts-ttf", "ttf/DejaVuSans.ttf"),
  sansBold: packageFile("dejavu-fonts-ttf", "ttf/DejaVuSans-Bold.ttf"),
  mono: packageFile("dejavu-fonts-ttf", "ttf/DejaVuSansMono.ttf"),
};

/** A bundled font for characters DejaVu lacks, drawn in runs of their own (see `fontRuns`). */
export interface FallbackFont {
  /** The `font-family` the font names itself; a run drawn in it names this family. */
  family: string;
  file: string;
}

/**
 * Fonts for what DejaVu cannot draw, tried in this order: Japanese kana and Han (which also
 * covers most Chinese), Korean Hangul, then emoji (monochrome). All are SIL OFL 1.1.
 */
export const FALLBACK_FONTS: readonly FallbackFont[] = [
  {
    family: "Noto Sans JP",
    file: packageFile("@expo-google-fonts/noto-sans-jp", "400Regular/NotoSansJP_400Regular.ttf"),
  },
  {
    family: "NanumGothic",
    file: packageFile("@expo-google-fonts/nanum-gothic", "400Regular/NanumGothic_400Regular.ttf"),
  },
  {
    family: "Noto Emoji",
    file: packageFile("@expo-google-fonts/noto-emoji", "400Regular/NotoEmoji_400Regular.ttf"),
  },
];

const faceMetrics = new Map<FontFace, TrueTypeMetrics>();
const fallbackMetrics = new Map<FallbackFont, TrueTypeMetrics>();

/**
 * A DejaVu face's character map and widths, read on first use and kept (kilobytes: the file
 * itself is not kept).
 */
function dejaVuFace(name: FontFace): TrueTypeMetrics {
  let metrics = faceMetrics.get(name);
  if (metrics === undefined) {
    metrics = readTrueType(readFileSync(FONT_FILES[name]));
    faceMetrics.set(name, metrics);
  }
  return metrics;
}

/**
 * A fallback font's character map and widths, read the first time a character DejaVu lacks is
 * looked up in it: a chart in Latin script never reads the 5 MB CJK file.
 */
function fallbackFace(font: FallbackFont): TrueTypeMetrics {
  let metrics = fallbackMetrics.get(font);
  if (metrics === undefined) {
    metrics = readTrueType(readFileSync(font.file));
    fallbackMetrics.set(font, metrics);
  }
  return metrics;
}

/** The font files whose character maps this process has read so far: what charts have needed. */
export function fontFilesRead(): string[] {
  return [
    ...[...faceMetrics.keys()].map((name) => FONT_FILES[name]),
    ...[...fallbackMetrics.keys()].map((font) => font.file),
  ];
}

/** resvg's own fallback among the DejaVu faces, which share a family and so stay in one run. */
const DEJAVU_ORDER: readonly FontFace[] = ["sans", "sansBold", "mono"];

function dejaVuCan(codePoint: number): boolean {
  return DEJAVU_ORDER.some((name) => dejaVuFace(name).advanceOf(codePoint) !== undefined);
}

/** Whether some bundled font has a glyph for this code point. */
export function canRender(codePoint: number): boolean {
  return dejaVuCan(codePoint) || fallbackFor(codePoint) !== undefined;
}

/**
 * The fallback font that draws this code point, or undefined when DejaVu draws it (or no
 * bundled font can).
 */
export function fallbackFor(codePoint: number): FallbackFont | undefined {
  if (dejaVuCan(codePoint)) return undefined;
  return FALLBACK_FONTS.find((font) => fallbackFace(font).advanceOf(codePoint) !== undefined);
}

/**
 * The font files resvg needs for this SVG: DejaVu always, a fallback font only when some run
 * names its family. Loading the 5 MB CJK file costs several milliseconds per render, so charts
 * in Latin script do not pay for it.
 */
export function fontFilesFor(svg: string): string[] {
  const used = FALLBACK_FONTS.filter((font) => svg.includes(`font-family="${font.family}"`));
  return [FONT_FILES.sans, FONT_FILES.sansBold, FONT_FILES.mono, ...used.map((font) => font.file)];
}

/**
 * Width in pixels of `text` drawn in `face` at `size` px, following resvg's fallback to the
 * other DejaVu faces and then to the fallback fonts. Kerning is ignored, so the result may be a
 * pixel or two wide; callers leave that much slack.
 */
export function measureText(text: string, face: FontFace, size: number): number {
  let ems = 0;
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
    const font = drawingFont(codePoint, face);
    // A missing glyph draws as an empty box about as wide as a digit.
    ems += font === undefined ? 0.6 : (font.advanceOf(codePoint) ?? 0) / font.unitsPerEm;
  }
  return ems * size;
}

/** The font resvg draws `codePoint` in when asked for `preferred`: that face, the other DejaVu faces, then the fallbacks. */
function drawingFont(codePoint: number, preferred: FontFace): TrueTypeMetrics | undefined {
  for (const name of [preferred, ...DEJAVU_ORDER]) {
    if (dejaVuFace(name).advanceOf(codePoint) !== undefined) return dejaVuFace(name);
  }
  const font = fallbackFor(codePoint);
  return font === undefined ? undefined : fallbackFace(font);
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
