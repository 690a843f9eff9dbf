import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  MessageFlags,
} from "discord.js";
import { SerialQueue } from "../async/SerialQueue.ts";
import type { EditableMessage, Reply } from "../ui/interaction.ts";
import type { View } from "../ui/view.ts";
import { toDiscordMessage } from "./toDiscordMessage.ts";

type RepliableInteraction = ChatInputCommandInteraction | ButtonInteraction;

function editBody(view: View): InteractionEditReplyOptions {
  const { content, embeds, components, files, allowedMentions } = toDiscordMessage(view);
  // `attachments: []` makes an edit replace the old files instead of adding to them.
  return { content, embeds, components, allowedMentions, ...(view.files ? { files, attachments: [] } : {}) };
}

function replyBody(view: View): InteractionReplyOptions & { flags?: MessageFlags.Ephemeral } {
  const { content, embeds, components, files, allowedMentions } = toDiscordMessage(view);
  return {
    content,
    embeds,
    components,
    files,
    allowedMentions,
    ...(view.ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
  };
}

/**
 * The one place that decides between Discord's reply, update, editReply and followUp, from the
 * interaction's acknowledgement state. Handlers only say what they want shown.
 */
export class DiscordReply implements Reply {
  /** True once the original response (or the message the button is on) holds our answer. */
  private originalAnswered = false;
  /** A button acknowledged with deferUpdate: later answers go to new messages or edit its message. */
  private deferredAsUpdate = false;
  /** Acknowledgement calls run one after another, so an automatic defer never races a reply. */
  private readonly queue = new SerialQueue();

  constructor(private readonly interaction: RepliableInteraction) {}

  private serial<T>(operation: () => Promise<T>): Promise<T> {
    return this.queue.run(operation);
  }

  get acknowledged(): boolean {
    return this.interaction.replied || this.interaction.deferred;
  }

  send(view: View): Promise<void> {
    return this.serial(() => this.sendNow(view));
  }

  private async sendNow(view: View): Promise<void> {
    const interaction = this.interaction;
    if (!this.acknowledged) {
      await interaction.reply(replyBody(view));
      this.originalAnswered = true;
    } else if (interaction.deferred && !this.originalAnswered && !this.deferredAsUpdate) {
      await interaction.editReply(editBody(view));
      this.originalAnswered = true;
    } else {
      await interaction.followUp(replyBody(view));
    }
  }

  update(view: View): Promise<void> {
    return this.serial(() => this.updateNow(view));
  }

  private async updateNow(view: View): Promise<void> {
    const interaction = this.interaction;
    if (interaction.isButton() && !this.acknowledged) {
      await interaction.update(editBody(view));
    } else if (!this.acknowledged) {
      await interaction.reply(replyBody(view));
    } else {
      await interaction.editReply(editBody(view));
    }
    this.originalAnswered = true;
  }

  defer(options: { ephemeral?: boolean } = {}): Promise<void> {
    return this.serial(() => this.deferNow(options));
  }

  private async deferNow(options: { ephemeral?: boolean }): Promise<void> {
    if (this.acknowledged) return;
    const interaction = this.interaction;
    if (interaction.isButton() && !options.ephemeral) {
      await interaction.deferUpdate();
      this.deferredAsUpdate = true;
    } else {
      await interaction.deferReply(options.ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    }
  }

  sendEditable(view: View): Promise<EditableMessage> {
    return this.serial(() => this.sendEditableNow(view));
  }

  private async sendEditableNow(view: View): Promise<EditableMessage> {
    const interaction = this.interaction;
    let messageId: string;
    if (!this.acknowledged) {
      // Fetched rather than read from `withResponse`: every Discord-compatible API serves
      // GET @original, while some proxies and doubles answer the callback with an empty body.
      await interaction.reply(replyBody(view));
      this.originalAnswered = true;
      messageId = (await interaction.fetchReply()).id;
    } else if (interaction.deferred && !this.originalAnswered && !this.deferredAsUpdate) {
      messageId = (await interaction.editReply(editBody(view))).id;
      this.originalAnswered = true;
    } else {
      messageId = (await interaction.followUp(replyBody(view))).id;
    }
    return {
      id: messageId,
      edit: async (next) => void (await interaction.editReply({ ...editBody(next), message: messageId })),
    };
  }
}
