import { renderAsync } from "@resvg/resvg-js";
import { FONT_FAMILY, fontFilesFor } from "./fonts.ts";

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

/**
 * Draws an SVG document into a PNG at its own size. Only bundled fonts are loaded (DejaVu, and
 * the fallback fonts the SVG names), never system fonts, so the same chart is pixel-identical on
 * every machine. Rendering runs on libuv's thread pool, keeping the bot's event loop free.
 */
export async function rasterizeSvg(svg: string): Promise<Buffer> {
  const image = await renderAsync(svg, {
    font: {
      loadSystemFonts: false,
      fontFiles: fontFilesFor(svg),
      defaultFontFamily: FONT_FAMILY.sans,
      sansSerifFamily: FONT_FAMILY.sans,
      monospaceFamily: FONT_FAMILY.mono,
    },
    logLevel: "off",
  });
  return image.asPng();
}
