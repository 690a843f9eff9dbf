import { randomBytes } from "node:crypto";
import {
  type APIApplicationCommand,
  type APIMessageInteractionMetadata,
  type APITextChannel,
  type APIUser,
  ApplicationIntegrationType,
  InteractionType,
  MessageType,
} from "discord-api-types/v10";
import { ChangeFeed } from "./ChangeFeed.ts";
import type { DoubleUser, InteractionHandle } from "./InteractionHandle.ts";
import {
  createMessagePayload,
  displayNameOf,
  editMessagePayload,
  textChannelPayload,
  userPayload,
} from "./payloads.ts";
import { type MessageSource, type StoredAttachment, StoredMessage } from "./StoredMessage.ts";
import { nextSnowflake, stableSnowflake } from "./snowflake.ts";
import type { MessageBody } from "./validateMessage.ts";

/** Options of `DiscordDouble.start`. */
export interface DiscordDoubleOptions {
  /** How long the bot has to acknowledge an interaction. Default: 3000 ms, Discord's rule. */
  ackWindowMs?: number;
  /** How long an interaction token works for webhook routes (edits, follow-ups). Default: 15 minutes. */
  tokenLifetimeMs?: number;
  /** `heartbeat_interval` sent in HELLO. Default: 41 250 ms, what Discord sends. */
  heartbeatIntervalMs?: number;
  /** How long `waitFor` and `waitForReply` wait when not told. Default: 10 000 ms. */
  defaultTimeoutMs?: number;
  /** Default: "LM Tutor Test". */
  guildName?: string;
  /** Default: "tutoring". */
  channelName?: string;
  /** The bot user's name. Default: "LM Tutor". */
  botName?: string;
}

/** Something the double refused or did not understand; any entry should fail the test. */
export interface DoubleError {
  at: number;
  /** `violation`: the bot broke a Discord rule; `unknown-route`: a request the double does not know. */
  kind: "violation" | "unknown-route" | "gateway";
  /** The request as `METHOD /path` (after `/api/v10`), or `null` for gateway and timer errors. */
  request: string | null;
  /** The Discord error code sent back, when there was a response. */
  code: number | null;
  message: string;
}

/** One REST request the double answered. */
export interface RequestRecord {
  at: number;
  method: string;
  /** Path after `/api/v10`, decoded (`@original`, not `%40original`). */
  path: string;
  /** The route template, e.g. `PATCH /webhooks/:application/:token/messages/@original`; `null` if unknown. */
  route: string | null;
  status: number;
}

/** A 429 the test asked for with `rateLimitNext`, filled in as it happens. */
export interface RateLimitRecord {
  readonly retryAfterSeconds: number;
  /** When the 429 was sent; `null` until a matching request arrives. */
  limitedAt: number | null;
  /** `METHOD /path` of the request that got the 429. */
  limitedRequest: string | null;
  /** When the next matching request (the retry) arrived; `null` until then. */
  retriedAt: number | null;
}

type ResolvedOptions = Required<DiscordDoubleOptions>;

const defaults: ResolvedOptions = {
  ackWindowMs: 3000,
  tokenLifetimeMs: 15 * 60 * 1000,
  heartbeatIntervalMs: 41_250,
  defaultTimeoutMs: 10_000,
  guildName: "LM Tutor Test",
  channelName: "tutoring",
  botName: "LM Tutor",
};

/** Everything the double knows; shared by its REST routes, its gateway and its public facade. */
export class DoubleState {
  readonly options: ResolvedOptions;
  readonly applicationId = stableSnowflake("application");
  readonly guildId = stableSnowflake("guild");
  readonly channelId = stableSnowflake("channel");
  /** Permissions granted to members beyond everyone's (as a role would), by user id. */
  readonly grants = new Map<string, bigint>();
  readonly ownerId = stableSnowflake("user:guild-owner");
  /** A bot token in Discord's three-part shape; the only one the double accepts. */
  readonly token: string;
  readonly bot: APIUser;
  readonly channel: APITextChannel;
  readonly joinedAt = new Date().toISOString();

  readonly users = new Map<string, APIUser>();
  readonly usersByName = new Map<string, DoubleUser>();
  globalCommands: APIApplicationCommand[] = [];
  guildCommands: APIApplicationCommand[] = [];
  readonly interactions = new Map<string, InteractionHandle>();
  readonly interactionsByToken = new Map<string, InteractionHandle>();
  readonly messages = new Map<string, StoredMessage>();
  readonly changes = new ChangeFeed();
  readonly errors: DoubleError[] = [];
  readonly requests: RequestRecord[] = [];
  readonly rateLimits: { record: RateLimitRecord; matches: (request: RequestRecord) => boolean }[] = [];
  readonly timers = new Set<NodeJS.Timeout>();

  constructor(options: DiscordDoubleOptions) {
    this.options = { ...defaults, ...options };
    this.token = [
      Buffer.from(this.applicationId).toString("base64url"),
      randomBytes(4).toString("base64url"),
      randomBytes(27).toString("base64url"),
    ].join(".");
    this.bot = userPayload(this.applicationId, this.options.botName, true);
    this.users.set(this.bot.id, this.bot);
    this.channel = textChannelPayload(this.channelId, this.guildId, this.options.channelName);
  }

  recordError(error: Omit<DoubleError, "at">): void {
    this.errors.push({ at: Date.now(), ...error });
  }

  /** The user with `username`, made on first use; the id depends only on the name. */
  user(username: string): DoubleUser {
    const known = this.usersByName.get(username);
    if (known) return known;
    const user: DoubleUser = {
      id: stableSnowflake(`user:${username}`),
      username,
      displayName: displayNameOf(username),
    };
    this.usersByName.set(username, user);
    this.users.set(user.id, userPayload(user.id, username));
    return user;
  }

  apiUser(user: DoubleUser): APIUser {
    return this.users.get(user.id) ?? userPayload(user.id, user.username, user.id === this.bot.id);
  }

  /** Runs `callback` after `ms` unless the double closes first. */
  schedule(ms: number, callback: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      callback();
    }, ms);
    this.timers.add(timer);
  }

  #interactionMetadata(interaction: InteractionHandle): APIMessageInteractionMetadata {
    const base = {
      id: interaction.id,
      user: this.apiUser(interaction.user),
      authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: this.guildId },
    };
    if (interaction.type === InteractionType.MessageComponent && interaction.sourceMessageId) {
      return {
        ...base,
        type: InteractionType.MessageComponent,
        interacted_message_id: interaction.sourceMessageId,
      };
    }
    return { ...base, type: InteractionType.ApplicationCommand };
  }

  /** Stores a new message from the bot and tells waiters. */
  createMessage(init: {
    source: MessageSource;
    interaction: InteractionHandle | null;
    body: MessageBody;
    attachments: readonly StoredAttachment[];
    at: number;
  }): StoredMessage {
    const { interaction } = init;
    const type =
      interaction?.type === InteractionType.ApplicationCommand
        ? MessageType.ChatInputCommand
        : MessageType.Default;
    const message = createMessagePayload(
      {
        id: nextSnowflake(),
        channelId: this.channelId,
        author: this.bot,
        applicationId: this.applicationId,
        interaction: interaction ? this.#interactionMetadata(interaction) : null,
        type,
        at: init.at,
      },
      init.body,
      init.attachments,
      (id) => this.users.get(id),
    );
    const stored = new StoredMessage({
      source: init.source,
      interactionId: interaction?.id ?? null,
      visibleTo: interaction?.user.id ?? null,
      first: {
        at: init.at,
        message,
        allowedMentions: init.body.allowed_mentions,
        attachments: init.attachments,
      },
    });
    this.messages.set(stored.id, stored);
    this.changes.notify();
    return stored;
  }

  /** Appends an edit to a message's history and tells waiters. */
  editMessage(
    stored: StoredMessage,
    body: MessageBody,
    attachments: readonly StoredAttachment[],
    at: number,
  ): StoredMessage {
    const message = editMessagePayload(stored.current, body, attachments, at, (id) => this.users.get(id));
    stored.revisions.push({ at, message, allowedMentions: body.allowed_mentions, attachments });
    this.changes.notify();
    return stored;
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
