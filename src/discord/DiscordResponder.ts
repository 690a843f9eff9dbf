import {
  type ChatInputCommandInteraction,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  type MessageComponentInteraction,
  MessageFlags,
} from "discord.js";
import { SerialQueue } from "../async/SerialQueue.ts";
import type { AnswerPolicy, MessageAddress, Responder } from "../ui/interaction.ts";
import type { View } from "../ui/view.ts";
import type { DiscordMessageEditor } from "./DiscordMessageEditor.ts";
import { toDiscordMessage } from "./toDiscordMessage.ts";

type RepliableInteraction = ChatInputCommandInteraction | MessageComponentInteraction;

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
 * The one place that decides between Discord's reply, deferReply, deferUpdate, update, editReply,
 * followUp and deleteReply, from the interaction's state. The runtime acknowledges through it as
 * the command declared; handlers only say what they want shown.
 */
export class DiscordResponder implements Responder {
  /** How the interaction was deferred, if it was: its original response is still "thinking…". */
  private deferred: "public" | "ephemeral" | "update" | undefined;
  /** True once the original response (or the clicked message) holds an answer. */
  private originalAnswered = false;
  /** Calls run one after another, so an automatic acknowledgement never races an answer. */
  private readonly queue = new SerialQueue();

  constructor(
    private readonly interaction: RepliableInteraction,
    private readonly editor: DiscordMessageEditor,
  ) {}

  get acknowledged(): boolean {
    return this.interaction.replied || this.interaction.deferred;
  }

  private serial<T>(operation: () => Promise<T>): Promise<T> {
    return this.queue.run(operation);
  }

  acknowledge(policy: AnswerPolicy): Promise<void> {
    return this.serial(async () => {
      if (this.acknowledged) return;
      const interaction = this.interaction;
      if (policy.visibility === "update" && interaction.isMessageComponent()) {
        await interaction.deferUpdate();
        this.deferred = "update";
      } else {
        const ephemeral = policy.visibility === "ephemeral";
        await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
        this.deferred = ephemeral ? "ephemeral" : "public";
      }
    });
  }

  send(view: View): Promise<void> {
    return this.serial(async () => void (await this.sendNow(view)));
  }

  post(view: View): Promise<MessageAddress> {
    return this.serial(async () => {
      const messageId = await this.sendNow(view, { needId: true });
      const address = { channelId: this.interaction.channelId, messageId };
      this.editor.remember(
        address,
        async (next) => void (await this.interaction.editReply({ ...editBody(next), message: messageId })),
        this.interaction.createdAt,
      );
      return address;
    });
  }

  update(view: View): Promise<void> {
    return this.serial(async () => {
      const interaction = this.interaction;
      if (interaction.isMessageComponent() && !this.acknowledged) {
        await interaction.update(editBody(view));
      } else if (!this.acknowledged) {
        await interaction.reply(replyBody(view));
      } else {
        await interaction.editReply(editBody(view));
      }
      this.originalAnswered = true;
    });
  }

  fail(view: View): Promise<void> {
    const notice: View = { ...view, ephemeral: true };
    return this.serial(async () => {
      const interaction = this.interaction;
      if (!this.acknowledged) {
        await interaction.reply(replyBody(notice));
      } else if (this.deferred === "ephemeral" && !this.originalAnswered) {
        await interaction.editReply(editBody(notice));
      } else {
        if (this.deferred === "public" && !this.originalAnswered) {
          // The channel saw "thinking…": remove it, so a private failure never shows publicly.
          await interaction.deleteReply();
        }
        await interaction.followUp(replyBody(notice));
      }
      this.originalAnswered = true;
    });
  }

  /** Answers (or follows up) and returns the message id when `needId` (it may cost a GET). */
  private async sendNow(view: View, options: { needId?: boolean } = {}): Promise<string> {
    const interaction = this.interaction;
    const wantsEphemeral = view.ephemeral === true;
    if (!this.acknowledged) {
      await interaction.reply(replyBody(view));
      this.originalAnswered = true;
      // Fetched rather than read from the callback: every Discord-compatible API serves
      // GET @original, while some proxies and doubles answer the callback with an empty body.
      return options.needId ? (await interaction.fetchReply()).id : "@original";
    }
    const pendingOriginal =
      !this.originalAnswered && this.deferred !== undefined && this.deferred !== "update";
    if (pendingOriginal && (this.deferred === "ephemeral") === wantsEphemeral) {
      const message = await interaction.editReply(editBody(view));
      this.originalAnswered = true;
      return message.id;
    }
    if (pendingOriginal) {
      // Deferred with the other visibility: never turn a private answer into a public message
      // (or the reverse); the "thinking…" placeholder goes and the answer follows.
      await interaction.deleteReply();
      this.originalAnswered = true;
    }
    return (await interaction.followUp(replyBody(view))).id;
  }
}
