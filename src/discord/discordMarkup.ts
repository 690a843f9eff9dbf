import type { PartRenderer } from "../ui/richText.ts";

/**
 * Discord's own markup for the neutral parts of a text: a relative timestamp every client shows
 * in its own time zone, and a mention (which pings nobody: `allowedMentions` is always empty).
 */
export const discordPart: PartRenderer = (part) =>
  part.kind === "moment" ? `<t:${Math.floor(part.at.getTime() / 1000)}:R>` : `<@${part.id}>`;
