import {
  type APIAllowedMentions,
  type APIEmbed,
  type APIMessage,
  type APIMessageTopLevelComponent,
  MessageFlags,
} from "discord-api-types/v10";
import { walkComponents } from "./validateMessage.ts";

/** A file the bot uploaded, with its bytes. */
export interface StoredAttachment {
  id: string;
  filename: string;
  contentType: string | undefined;
  description: string | undefined;
  bytes: Buffer;
}

/** One version of a message: its creation or one edit. */
export interface MessageRevision {
  /** When the double accepted this version (ms since the Unix epoch). */
  at: number;
  /** The message as Discord returns it after this change. */
  message: APIMessage;
  /** `allowed_mentions` exactly as the bot sent it with this change (`undefined` if it sent none). */
  allowedMentions: APIAllowedMentions | null | undefined;
  attachments: readonly StoredAttachment[];
}

/**
 * How the message came to be: an immediate interaction reply (callback type 4), a deferred reply
 * (type 5, "is thinking…" until edited), a follow-up, or a plain channel message.
 */
export type MessageSource = "reply" | "deferred-reply" | "follow-up" | "channel";

/** A message in the double's channel, with its full edit history. */
export class StoredMessage {
  readonly id: string;
  readonly channelId: string;
  readonly source: MessageSource;
  /** The interaction whose response or follow-up this is; `null` for channel messages. */
  readonly interactionId: string | null;
  /** Ephemeral messages are seen only by `visibleTo`. */
  readonly ephemeral: boolean;
  /** The only user who can see an ephemeral message; `null` when everyone can. */
  readonly visibleTo: string | null;
  /** Creation first, then every accepted edit in order. */
  readonly revisions: MessageRevision[];
  /** When the bot deleted it, or `null`. */
  deletedAt: number | null = null;

  constructor(init: {
    source: MessageSource;
    interactionId: string | null;
    visibleTo: string | null;
    first: MessageRevision;
  }) {
    this.id = init.first.message.id;
    this.channelId = init.first.message.channel_id;
    this.source = init.source;
    this.interactionId = init.interactionId;
    this.ephemeral = ((init.first.message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
    this.visibleTo = this.ephemeral ? init.visibleTo : null;
    this.revisions = [init.first];
  }

  /** The latest version. */
  get current(): APIMessage {
    const latest = this.revisions.at(-1);
    if (!latest) throw new Error("a stored message always has its first revision");
    return latest.message;
  }

  /** Versions after the first: every edit, in order. */
  get edits(): MessageRevision[] {
    return this.revisions.slice(1);
  }

  get content(): string {
    return this.current.content;
  }

  get embeds(): APIEmbed[] {
    return this.current.embeds;
  }

  get components(): APIMessageTopLevelComponent[] {
    return this.current.components ?? [];
  }

  get flags(): number {
    return this.current.flags ?? 0;
  }

  /** A deferred reply not yet edited: the user still sees "is thinking…". */
  get loading(): boolean {
    return (this.flags & MessageFlags.Loading) !== 0;
  }

  get deleted(): boolean {
    return this.deletedAt !== null;
  }

  /** `allowed_mentions` exactly as received with the latest change that carried one. */
  get allowedMentions(): APIAllowedMentions | null | undefined {
    return this.revisions.findLast((revision) => revision.allowedMentions !== undefined)?.allowedMentions;
  }

  get attachments(): readonly StoredAttachment[] {
    return this.revisions.at(-1)?.attachments ?? [];
  }

  /** Content plus every embed's visible text, for simple `includes` assertions. */
  get text(): string {
    const parts = [this.content];
    for (const embed of this.embeds) {
      parts.push(embed.author?.name ?? "", embed.title ?? "", embed.description ?? "");
      for (const field of embed.fields ?? []) parts.push(field.name, field.value);
      parts.push(embed.footer?.text ?? "");
    }
    return parts.filter((part) => part !== "").join("\n");
  }

  /** Custom ids of every component on the message (buttons and selects, at any depth). */
  get customIds(): string[] {
    return [...walkComponents(this.components)].flatMap(({ component }) =>
      typeof component.custom_id === "string" ? [component.custom_id] : [],
    );
  }

  isVisibleTo(userId: string): boolean {
    return this.visibleTo === null || this.visibleTo === userId;
  }
}
