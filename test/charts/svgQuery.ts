import type { DecodedPng } from "./decodePng.ts";

/** One element found in SVG markup: its attributes and its text (entities decoded, tags removed). */
export interface FoundElement {
  attributes: Record<string, string>;
  text: string;
  /** Inner markup, as written. */
  markup: string;
}

const ENTITIES: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&apos;": "'",
};

function decode(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos);/g, (entity) => ENTITIES[entity] ?? entity);
}

/**
 * Elements named `tag` whose class list has `className`. A regex reader is enough for markup
 * our own builder writes (no nested elements of the same name, attributes always quoted).
 */
export function findElements(svg: string, tag: string, className: string): FoundElement[] {
  const pattern = new RegExp(`<${tag}(\\s[^>]*?)(?:/>|>([\\s\\S]*?)</${tag}>)`, "g");
  const found: FoundElement[] = [];
  for (const match of svg.matchAll(pattern)) {
    const attributes: Record<string, string> = {};
    for (const attribute of (match[1] ?? "").matchAll(/([\w:-]+)="([^"]*)"/g)) {
      attributes[attribute[1] ?? ""] = decode(attribute[2] ?? "");
    }
    if (!(attributes.class ?? "").split(" ").includes(className)) continue;
    const markup = match[2] ?? "";
    found.push({ attributes, text: decode(markup.replace(/<[^>]*>/g, "")), markup });
  }
  return found;
}

/** All text drawn in the SVG, in document order, one string per `<text>`. */
export function allText(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([\s\S]*?)<\/text>/g)].map((match) =>
    decode((match[1] ?? "").replace(/<[^>]*>/g, "")),
  );
}

/**
 * The runs of a `<text>`: each `<tspan>` with a fill, and its text. Runs drawn in a fallback font
 * are `<tspan>`s without a fill nested inside these; their text counts towards the run holding them.
 */
export function spans(element: FoundElement): { fill: string; text: string }[] {
  const found: { fill: string; text: string }[] = [];
  const open: { fill: string | undefined; start: number }[] = [];
  for (const tag of element.markup.matchAll(/<tspan([^>]*)>|<\/tspan>/g)) {
    const index = tag.index ?? 0;
    if (tag[0] !== "</tspan>") {
      open.push({ fill: /fill="([^"]*)"/.exec(tag[1] ?? "")?.[1], start: index + tag[0].length });
      continue;
    }
    const closed = open.pop();
    const insideRun = open.some((outer) => outer.fill !== undefined);
    if (closed?.fill === undefined || insideRun) continue;
    const inner = element.markup.slice(closed.start, index);
    found.push({ fill: closed.fill, text: decode(inner.replace(/<[^>]*>/g, "")) });
  }
  return found;
}

export function numberAttribute(element: FoundElement, name: string): number {
  const value = element.attributes[name];
  if (value === undefined) throw new Error(`Element has no ${name} attribute`);
  return Number(value);
}

/** `#RRGGBB` → `[r, g, b]`. */
export function hexColour(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
}

type Image = DecodedPng;

/** Whether the pixel at (x, y) is `colour`, within a small tolerance for anti-aliasing. */
export function pixelIs(image: Image, x: number, y: number, colour: string): boolean {
  const [r, g, b] = image.pixel(Math.round(x), Math.round(y));
  const [er, eg, eb] = hexColour(colour);
  return Math.abs(r - er) <= 3 && Math.abs(g - eg) <= 3 && Math.abs(b - eb) <= 3;
}

/** How many pixels in the box differ clearly from `background` (ink: text, bars, lines). */
export function inkIn(
  image: Image,
  box: { x: number; y: number; width: number; height: number },
  background: string,
): number {
  const [br, bg, bb] = hexColour(background);
  let ink = 0;
  for (let y = Math.max(0, Math.round(box.y)); y < Math.min(image.height, box.y + box.height); y++) {
    for (let x = Math.max(0, Math.round(box.x)); x < Math.min(image.width, box.x + box.width); x++) {
      const [r, g, b] = image.pixel(x, y);
      if (Math.abs(r - br) + Math.abs(g - bg) + Math.abs(b - bb) > 60) ink += 1;
    }
  }
  return ink;
}

/** How many pixels in the box are `colour`. */
export function countColour(
  image: Image,
  box: { x: number; y: number; width: number; height: number },
  colour: string,
): number {
  let count = 0;
  for (let y = Math.max(0, Math.round(box.y)); y < Math.min(image.height, box.y + box.height); y++) {
    for (let x = Math.max(0, Math.round(box.x)); x < Math.min(image.width, box.x + box.width); x++) {
      if (pixelIs(image, x, y, colour)) count += 1;
    }
  }
  return count;
}

/**
 * How many pixels are ink in one box and not in the other, comparing the boxes cell by cell
 * (both take `a`'s size). Two different glyphs differ in many pixels; two copies of the empty box a
 * font draws for a missing glyph hardly differ at all.
 */
export function inkDifference(
  image: Image,
  a: { x: number; y: number; width: number; height: number },
  b: { x: number; y: number },
  background: string,
): number {
  const [br, bg, bb] = hexColour(background);
  const isInk = (x: number, y: number) => {
    const [r, g, blue] = image.pixel(Math.round(x), Math.round(y));
    return Math.abs(r - br) + Math.abs(g - bg) + Math.abs(blue - bb) > 60;
  };
  let different = 0;
  for (let dy = 0; dy < a.height; dy++) {
    for (let dx = 0; dx < a.width; dx++) {
      if (isInk(a.x + dx, a.y + dy) !== isInk(b.x + dx, b.y + dy)) different += 1;
    }
  }
  return different;
}
