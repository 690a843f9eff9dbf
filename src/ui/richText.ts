import type { MemberPart, MomentPart, RichText, TextPart, View, ViewEmbed, ViewField } from "./view.ts";

/** A View whose text is already rendered for one platform. */
export interface PlainView extends Omit<View, "content" | "embeds"> {
  content?: string;
  embeds?: PlainEmbed[];
}

export interface PlainEmbed extends Omit<ViewEmbed, "description" | "footer" | "fields"> {
  description?: string;
  footer?: string;
  fields?: PlainField[];
}

export interface PlainField extends Omit<ViewField, "value"> {
  value: string;
}

/** How one platform writes the neutral parts of a {@link RichText}. */
export type PartRenderer = (part: MomentPart | MemberPart) => string;

/** The text of `text` with its neutral parts rendered by `render`. */
export function renderRichText(text: RichText, render: PartRenderer): string {
  if (typeof text === "string") return text;
  return text.map((part) => (typeof part === "string" ? part : render(part))).join("");
}

/** The plain text of `text` (for lengths and tests): moments as ISO times, members by name. */
export function plainText(text: RichText): string {
  return renderRichText(text, (part) => (part.kind === "member" ? part.name : part.at.toISOString()));
}

/** Renders every text of a view for one platform. */
export function renderViewText(view: View, render: PartRenderer): PlainView {
  const text = (value: RichText | undefined) =>
    value === undefined ? undefined : renderRichText(value, render);
  return {
    ...view,
    content: text(view.content),
    embeds: view.embeds?.map((embed) => ({
      ...embed,
      description: text(embed.description),
      footer: text(embed.footer),
      fields: embed.fields?.map((field) => ({ ...field, value: renderRichText(field.value, render) })),
    })),
  };
}

/** A moment as a neutral part. */
export function moment(at: Date): MomentPart {
  return { kind: "moment", at };
}

/** A member as a neutral part. */
export function member(id: string, name: string): MemberPart {
  return { kind: "member", id, name };
}

/** Joins texts into one, keeping their neutral parts. */
export function joinRichText(...texts: RichText[]): TextPart[] {
  return texts.flatMap((text) => (typeof text === "string" ? [text] : [...text]));
}
