import { discordLimits as limits } from "./discordLimits.ts";
import type { PlainEmbed, PlainView } from "./richText.ts";

const cutNote = "… [cut to fit Discord's limit]";

/**
 * Shortens text to at most `max` characters, ending with a visible note when it had to cut.
 * Cuts on a code point boundary so no emoji or accented letter is split in half.
 */
export function truncateText(text: string, max: number, note = cutNote): string {
  if (text.length <= max) return text;
  if (max <= note.length) return Array.from(text).join("").slice(0, max);
  let end = max - note.length;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return text.slice(0, end) + note;
}

function embedTextLength(embed: PlainEmbed): number {
  let total = (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.length ?? 0);
  for (const field of embed.fields ?? []) total += field.name.length + field.value.length;
  return total;
}

function fitEmbed(embed: PlainEmbed): PlainEmbed {
  const fitted: PlainEmbed = { ...embed };
  if (embed.title !== undefined) fitted.title = truncateText(embed.title, limits.embedTitle, "…");
  if (embed.description !== undefined)
    fitted.description = truncateText(embed.description, limits.embedDescription);
  if (embed.footer !== undefined) fitted.footer = truncateText(embed.footer, limits.footer, "…");
  if (embed.fields !== undefined) {
    fitted.fields = embed.fields.slice(0, limits.embedFields).map((field) => ({
      ...field,
      name: truncateText(field.name || "\u200b", limits.fieldName, "…"),
      value: truncateText(field.value || "\u200b", limits.fieldValue),
    }));
  }
  return fitted;
}

/** Shrinks the longest text of the embeds until their sum fits Discord's 6,000-character cap. */
function fitEmbedTotal(embeds: PlainEmbed[]): PlainEmbed[] {
  const total = () => embeds.reduce((sum, embed) => sum + embedTextLength(embed), 0);
  let excess = total() - limits.embedTotal;
  while (excess > 0) {
    let longest:
      | { embed: PlainEmbed; key: "description" }
      | { embed: PlainEmbed; fieldIndex: number }
      | undefined;
    let longestLength = 0;
    for (const embed of embeds) {
      if ((embed.description?.length ?? 0) > longestLength) {
        longest = { embed, key: "description" };
        longestLength = embed.description?.length ?? 0;
      }
      embed.fields?.forEach((field, fieldIndex) => {
        if (field.value.length > longestLength) {
          longest = { embed, fieldIndex };
          longestLength = field.value.length;
        }
      });
    }
    if (longest === undefined || longestLength <= cutNote.length + 1) break;
    const target = Math.max(cutNote.length + 1, longestLength - excess);
    if ("key" in longest) {
      longest.embed.description = truncateText(longest.embed.description ?? "", target);
    } else {
      const field = longest.embed.fields?.[longest.fieldIndex];
      if (field) field.value = truncateText(field.value, target);
    }
    excess = total() - limits.embedTotal;
  }
  // Still too long (many titles, names and footers): drop trailing fields, then trailing embeds.
  while (excess > 0) {
    const withFields = embeds.findLast((embed) => (embed.fields?.length ?? 0) > 0);
    if (withFields?.fields) withFields.fields.pop();
    else if (embeds.length > 1) embeds.pop();
    else {
      const only = embeds[0];
      if (only) {
        only.footer = undefined;
        only.title = only.title?.slice(0, 100);
        only.description = truncateText(only.description ?? "", limits.embedTotal - 100);
      }
      break;
    }
    excess = total() - limits.embedTotal;
  }
  return embeds;
}

/**
 * Returns a copy of the view that respects every Discord limit: long text is cut with a visible
 * note, extra embeds, fields, rows, buttons and files are dropped, and button ids are checked.
 */
export function fitView(view: PlainView): PlainView {
  const fitted: PlainView = { ...view };
  if (view.content !== undefined) fitted.content = truncateText(view.content, limits.content);
  if (view.embeds !== undefined) {
    fitted.embeds = fitEmbedTotal(view.embeds.slice(0, limits.embeds).map(fitEmbed));
  }
  if (view.buttons !== undefined) {
    const seen = new Set<string>();
    fitted.buttons = view.buttons
      .slice(0, limits.actionRows)
      .map((row) =>
        row.slice(0, limits.buttonsPerRow).map((button) => {
          if (button.id.length > limits.customId) {
            throw new Error(`Button id longer than ${limits.customId} characters: ${button.id}`);
          }
          if (seen.has(button.id)) throw new Error(`Duplicate button id in one message: ${button.id}`);
          seen.add(button.id);
          return { ...button, label: truncateText(button.label, limits.buttonLabel, "…") };
        }),
      )
      .filter((row) => row.length > 0);
  }
  if (view.selects !== undefined) {
    // A menu takes a whole row; the rows the buttons left are what the menus get.
    const rowsLeft = limits.actionRows - (fitted.buttons?.length ?? 0);
    fitted.selects = view.selects.slice(0, Math.max(0, rowsLeft)).map((select) => {
      if (select.id.length > limits.customId) {
        throw new Error(`Menu id longer than ${limits.customId} characters: ${select.id}`);
      }
      return {
        ...select,
        placeholder: truncateText(select.placeholder, limits.selectPlaceholder, "…"),
        options: select.options.slice(0, limits.selectOptions).map((option) => {
          if (option.value.length > limits.selectOptionText) {
            throw new Error(`Menu option value longer than ${limits.selectOptionText} characters`);
          }
          return {
            ...option,
            label: truncateText(option.label, limits.selectOptionText, "…"),
            ...(option.description !== undefined && {
              description: truncateText(option.description, limits.selectOptionText, "…"),
            }),
          };
        }),
      };
    });
  }
  if (view.files !== undefined) fitted.files = view.files.slice(0, limits.attachments);
  return fitted;
}
