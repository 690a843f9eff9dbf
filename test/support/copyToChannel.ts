import { type APIMessage, type Client, Routes } from "discord.js";
import type { DiscordDouble, StoredMessage } from "../discord/DiscordDouble.ts";

/**
 * Posts `message`'s embeds and buttons in the channel as the bot, so every member can see and
 * click them. Replies of the bot are ephemeral, so Discord itself stops other members from
 * clicking their buttons; this is how a test checks that the bot refuses them too.
 */
export async function copyToChannel(
  client: Client,
  double: DiscordDouble,
  message: StoredMessage,
): Promise<StoredMessage> {
  const posted = (await client.rest.post(Routes.channelMessages(double.channel), {
    body: { embeds: message.embeds, components: message.components, allowed_mentions: { parse: [] } },
  })) as APIMessage;
  const copy = double.messages.find((candidate) => candidate.id === posted.id);
  if (!copy) throw new Error(`the double did not store the posted message ${posted.id}`);
  return copy;
}
