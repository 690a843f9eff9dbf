import { escapeXml } from "./escapeXml.ts";
import { fontRuns } from "./fontRuns.ts";

/** Attribute values; numbers are written with at most two decimals, `undefined` leaves the attribute out. */
export type SvgAttributes = Readonly<Record<string, string | number | undefined>>;

/**
 * Writes one SVG element. Attribute values are escaped here; `children` is markup, so text
 * content must go through `escapeXml` (or `svgText`) first.
 */
export function svgElement(name: string, attributes: SvgAttributes, children?: string): string {
  let markup = `<${name}`;
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    const written = typeof value === "number" ? String(Math.round(value * 100) / 100) : escapeXml(value);
    markup += ` ${key}="${written}"`;
  }
  return children === undefined ? `${markup}/>` : `${markup}>${children}</${name}>`;
}

/**
 * A `<text>` element whose content is plain text (escaped here); spaces are kept as typed.
 * With a numeric `y`, characters DejaVu lacks are drawn in a fallback font (see `fontRuns`).
 */
export function svgText(attributes: SvgAttributes, content: string): string {
  const { y } = attributes;
  const markup = typeof y === "number" ? fontRuns(content, y) : escapeXml(content);
  return svgElement("text", { "xml:space": "preserve", ...attributes }, markup);
}

/**
 * A `<tspan>`: a differently styled run inside a `<text>`; its content is plain text. Give
 * `baseline`, the enclosing text's `y`, for text that may hold characters DejaVu lacks (names,
 * prompts, tokens), so they are drawn in a fallback font. Default: DejaVu only.
 */
export function svgTspan(attributes: SvgAttributes, content: string, baseline?: number): string {
  return svgElement(
    "tspan",
    attributes,
    baseline === undefined ? escapeXml(content) : fontRuns(content, baseline),
  );
}

/** An SVG document and its size in pixels. */
export interface SvgDocument {
  svg: string;
  width: number;
  height: number;
}

/** Wraps drawn parts into a document of the given size on a solid background. */
export function svgDocument(
  width: number,
  height: number,
  background: string,
  parts: readonly string[],
): SvgDocument {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    svgElement("rect", { width, height, fill: background }) +
    parts.join("") +
    "</svg>";
  return { svg, width, height };
}
