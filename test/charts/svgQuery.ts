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

/** The runs of a `<text>`: each `<tspan>`'s fill and text. */
export function spans(element: FoundElement): { fill: string; text: string }[] {
  return [...element.markup.matchAll(/<tspan[^>]*?fill="([^"]*)"[^>]*>([^<]*)<\/tspan>/g)].map((match) => ({
    fill: match[1] ?? "",
    text: decode(match[2] ?? ""),
  }));
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
