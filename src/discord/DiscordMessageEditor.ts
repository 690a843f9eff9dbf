import { type Client, Routes } from "discord.js";
import type { MessageAddress, MessageEditor } from "../ui/interaction.ts";
import type { View } from "../ui/view.ts";
import { toDiscordMessage } from "./toDiscordMessage.ts";

/** An interaction token lives 15 minutes; stop using it a little before. */
const interactionEditWindowMs = 15 * 60 * 1000 - 30_000;

interface InteractionRoute {
  edit(view: View): Promise<void>;
  expiresAt: number;
}

/**
 * Edits the bot's messages in Discord. A message posted as an interaction's answer is edited
 * through that interaction while its token lives (works even where the bot cannot see the
 * channel); after that, or after a restart, through the channel route with the bot's token.
 */
export class DiscordMessageEditor implements MessageEditor {
  private readonly routes = new Map<string, InteractionRoute>();

  constructor(
    private readonly client: Client,
    private readonly now: () => number = Date.now,
  ) {}

  /** Called by the responder when it posts a message that may be edited later. */
  remember(address: MessageAddress, edit: (view: View) => Promise<void>, receivedAt: Date): void {
    this.forgetExpired();
    this.routes.set(address.messageId, { edit, expiresAt: receivedAt.getTime() + interactionEditWindowMs });
  }

  async edit(address: MessageAddress, view: View): Promise<void> {
    const route = this.routes.get(address.messageId);
    if (route && route.expiresAt > this.now()) {
      await route.edit(view);
      return;
    }
    this.routes.delete(address.messageId);
    const { content, embeds, components } = toDiscordMessage(view);
    await this.client.rest.patch(Routes.channelMessage(address.channelId, address.messageId), {
      body: { content, embeds, components, allowed_mentions: { parse: [] } },
    });
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [id, route] of this.routes) if (route.expiresAt <= now) this.routes.delete(id);
  }
}
