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

interface LoadedFonts {
  faces: Record<FontFace, TrueTypeMetrics>;
  fallbacks: { font: FallbackFont; metrics: TrueTypeMetrics }[];
}

let loaded: LoadedFonts | undefined;

/** Reads every bundled font's character map and widths (about 10 MB of files) on first use, once per process. */
function fonts(): LoadedFonts {
  loaded ??= {
    faces: {
      sans: readTrueType(readFileSync(FONT_FILES.sans)),
      sansBold: readTrueType(readFileSync(FONT_FILES.sansBold)),
      mono: readTrueType(readFileSync(FONT_FILES.mono)),
    },
    fallbacks: FALLBACK_FONTS.map((font) => ({ font, metrics: readTrueType(readFileSync(font.file)) })),
  };
  return loaded;
}

/** resvg's own fallback among the DejaVu faces, which share a family and so stay in one run. */
const DEJAVU_ORDER: readonly FontFace[] = ["sans", "sansBold", "mono"];

function dejaVuCan(codePoint: number): boolean {
  const { faces } = fonts();
  return DEJAVU_ORDER.some((face) => faces[face].advanceOf(codePoint) !== undefined);
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
  return fonts().fallbacks.find(({ metrics }) => metrics.advanceOf(codePoint) !== undefined)?.font;
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
  const { faces, fallbacks } = fonts();
  const drawnBy = [
    faces[face],
    ...DEJAVU_ORDER.map((candidate) => faces[candidate]),
    ...fallbacks.map((fallback) => fallback.metrics),
  ];
  let ems = 0;
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
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
