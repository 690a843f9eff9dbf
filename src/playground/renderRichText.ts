import type { RichText, TextPart } from "../ui/view.ts";
import { formatMoment } from "./formatMoment.ts";
import { renderMarkdown } from "./renderMarkdown.ts";
import type { TerminalStyle } from "./terminalStyle.ts";

export interface RichTextOptions {
  style: TerminalStyle;
  /** The moment "now" for relative times ("in 42 s"). */
  now: Date;
}

/** Private-use characters mark where a part goes while the Markdown around it is rendered. */
const slot = (index: number) => `\uE000${index}\uE001`;
const slots = /\uE000(\d+)\uE001/g;

function renderPart(part: Exclude<TextPart, string>, now: Date): string {
  switch (part.kind) {
    case "moment":
      return formatMoment(part.at, now);
    case "member":
      return part.name;
  }
}

/**
 * Neutral rich text for the terminal: moments relative to `now` ("in 42 s", "12 s ago"), members
 * by name, and Markdown emphasis as terminal styles. Emphasis may span parts
 * (`["**closes ", moment, "**"]`), but a member's name is never read as Markdown.
 */
export function renderRichText(text: RichText, options: RichTextOptions): string {
  if (typeof text === "string") return renderMarkdown(text, options.style);
  const rendered: string[] = [];
  const withSlots = text
    .map((part) => {
      if (typeof part === "string") return part;
      rendered.push(renderPart(part, options.now));
      return slot(rendered.length - 1);
    })
    .join("");
  return renderMarkdown(withSlots, options.style).replace(
    slots,
    (_, index: string) => rendered[Number(index)] ?? "",
  );
}
