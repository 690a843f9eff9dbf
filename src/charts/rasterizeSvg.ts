import { FONT_FAMILY, fontFilesFor } from "./fonts.ts";

type ResvgModule = typeof import("@resvg/resvg-js");

/** A chart ready to attach: the PNG, its size in pixels and the same facts as text for screen readers. */
export interface RenderedChart {
  png: Buffer;
  width: number;
  height: number;
  /** At most {@link ALT_TEXT_MAX} characters, Discord's limit for an attachment description. */
  altText: string;
}

/** Discord's limit for an attachment's description (its alt text). */
export const ALT_TEXT_MAX = 1024;

let resvg: Promise<ResvgModule> | undefined;

/**
 * resvg, loaded with the first chart: a bot that never draws one never maps the library.
 *
 * resvg's native library allocates with its own mimalloc, which by default keeps freed pages
 * for a while and only gives them back when the same thread allocates again, so every chart's
 * peak stayed resident (measured: +30 MB). mimalloc reads its options from the environment when
 * the library is loaded, so a purge delay of 0 set here, before the import, hands pages back as
 * soon as a chart is done. An operator's own setting is left alone.
 */
function loadResvg(): Promise<ResvgModule> {
  process.env.MIMALLOC_PURGE_DELAY ??= "0";
  resvg ??= import("@resvg/resvg-js");
  return resvg;
}

/**
 * Draws an SVG document into a PNG at its own size. Only bundled fonts are loaded (DejaVu, and
 * the fallback fonts the SVG names), never system fonts, so the same chart is pixel-identical on
 * every machine.
 *
 * It draws on the main thread, not on libuv's thread pool: each pool thread that drew a chart
 * kept its own allocator heap of a chart's peak (up to four of them; measured +35 to +50 MB
 * against +5 to +20 MB here). A chart takes 20 to 90 ms, short beside the 3 s an interaction
 * has to be acknowledged in, and the model work of a step stays off the main thread.
 */
export async function rasterizeSvg(svg: string): Promise<Buffer> {
  const { Resvg } = await loadResvg();
  const options = {
    font: {
      loadSystemFonts: false,
      fontFiles: fontFilesFor(svg),
      defaultFontFamily: FONT_FAMILY.sans,
      sansSerifFamily: FONT_FAMILY.sans,
      monospaceFamily: FONT_FAMILY.mono,
    },
    logLevel: "off",
  } as const;
  return new Resvg(svg, options).render().asPng();
}
