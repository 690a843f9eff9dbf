import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  AttachmentBuilder,
  ButtonStyle,
  ComponentType,
} from "discord.js";
import { fitView } from "../ui/fitView.ts";
import { renderViewText } from "../ui/richText.ts";
import type { View, ViewButtonStyle, ViewColor } from "../ui/view.ts";
import { discordPart } from "./discordMarkup.ts";

const colors: Record<ViewColor, number> = {
  brand: 0x5865f2,
  success: 0x3ba55d,
  danger: 0xed4245,
  warning: 0xfaa61a,
  neutral: 0x4f545c,
  base: 0xe67e22,
  instruct: 0x1abc9c,
};

const buttonStyles: Record<ViewButtonStyle, ButtonStyle> = {
  primary: ButtonStyle.Primary,
  secondary: ButtonStyle.Secondary,
  success: ButtonStyle.Success,
  danger: ButtonStyle.Danger,
};

/** The parts of a Discord message body that a View sets. */
export interface DiscordMessage {
  content: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
  files: AttachmentBuilder[];
  /** Model output and member text are untrusted: nothing we send may ping anyone. */
  allowedMentions: { parse: []; repliedUser: false };
}

/**
 * Turns a View into a Discord message body. This is the one place that applies Discord's limits
 * and the empty `allowedMentions`; every reply, edit and follow-up goes through it.
 */
export function toDiscordMessage(view: View): DiscordMessage {
  const fitted = fitView(renderViewText(view, discordPart));
  return {
    content: fitted.content ?? "",
    embeds: (fitted.embeds ?? []).map((embed) => ({
      title: embed.title,
      description: embed.description,
      color: colors[embed.color ?? "brand"],
      fields: embed.fields?.map((field) => ({
        name: field.name,
        value: field.value,
        inline: field.inline ?? false,
      })),
      footer: embed.footer ? { text: embed.footer } : undefined,
      image: embed.imageFile ? { url: `attachment://${embed.imageFile}` } : undefined,
    })),
    components: [
      ...(fitted.buttons ?? []).map(
        (row): APIActionRowComponent<APIComponentInMessageActionRow> => ({
          type: ComponentType.ActionRow,
          components: row.map((button) => ({
            type: ComponentType.Button,
            custom_id: button.id,
            label: button.label,
            style: buttonStyles[button.style ?? "secondary"] as APIButtonComponentWithCustomId["style"],
            disabled: button.disabled ?? false,
          })),
        }),
      ),
      ...(fitted.selects ?? []).map(
        (select): APIActionRowComponent<APIComponentInMessageActionRow> => ({
          type: ComponentType.ActionRow,
          components: [
            {
              type: ComponentType.StringSelect,
              custom_id: select.id,
              placeholder: select.placeholder,
              min_values: 1,
              max_values: 1,
              disabled: select.disabled ?? false,
              options: select.options.map((option) => ({
                label: option.label,
                value: option.value,
                ...(option.description !== undefined && { description: option.description }),
              })),
            },
          ],
        }),
      ),
    ],
    files: (fitted.files ?? []).map((file) => {
      const attachment = new AttachmentBuilder(file.data, { name: file.name });
      if (file.description) attachment.setDescription(file.description.slice(0, 1024));
      return attachment;
    }),
    allowedMentions: { parse: [], repliedUser: false },
  };
}
