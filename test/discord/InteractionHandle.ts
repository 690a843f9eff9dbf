import type {
  APIApplicationCommandOptionChoice,
  InteractionResponseType,
  InteractionType,
} from "discord-api-types/v10";
import type { ChangeFeed } from "./ChangeFeed.ts";
import type { StoredMessage } from "./StoredMessage.ts";

/** A user of the test guild, as made by `DiscordDouble.user(name)`. */
export interface DoubleUser {
  /** Stable snowflake: the same name gives the same id on every run. */
  id: string;
  username: string;
  /** The user's global display name (`username` capitalised); discord.js's `displayName`. */
  displayName: string;
}

/** The bot's one allowed answer to an interaction. */
export interface Acknowledgement {
  /** Interaction callback type (4 reply, 5 defer, 6 defer update, 7 update, 8 autocomplete). */
  type: InteractionResponseType;
  /** When the callback arrived (ms since the Unix epoch). */
  at: number;
  /** How long after the interaction was dispatched. */
  latencyMs: number;
}

/** What the double needs to know to look up this interaction's messages. */
export interface InteractionInit {
  id: string;
  token: string;
  type: InteractionType;
  user: DoubleUser;
  commandName: string | null;
  customId: string | null;
  /** The message a component interaction was clicked on. */
  sourceMessageId: string | null;
  createdAt: number;
  ackWindowMs: number;
  defaultTimeoutMs: number;
}

/**
 * One interaction the double dispatched: watch whether and how the bot acknowledged it, and
 * read the messages it produced (current state and full edit history).
 */
export class InteractionHandle {
  readonly id: string;
  /** The interaction token the bot uses for callback and webhook routes. */
  readonly token: string;
  readonly type: InteractionType;
  readonly user: DoubleUser;
  /** Slash or autocomplete command name; `null` for component interactions. */
  readonly commandName: string | null;
  /** Clicked component's custom id; `null` for commands. */
  readonly customId: string | null;
  /** The message a component was clicked on; `null` for commands. */
  readonly sourceMessageId: string | null;
  /** When the double dispatched it (ms since the Unix epoch). */
  readonly createdAt: number;

  #acknowledgement: Acknowledgement | null = null;
  #expired = false;
  #originalId: string | null = null;
  readonly #followUpIds: string[] = [];
  #choices: APIApplicationCommandOptionChoice[] | null = null;
  readonly #ackWindowMs: number;
  readonly #defaultTimeoutMs: number;
  readonly #messages: ReadonlyMap<string, StoredMessage>;
  readonly #changes: ChangeFeed;

  constructor(init: InteractionInit, messages: ReadonlyMap<string, StoredMessage>, changes: ChangeFeed) {
    this.id = init.id;
    this.token = init.token;
    this.type = init.type;
    this.user = init.user;
    this.commandName = init.commandName;
    this.customId = init.customId;
    this.sourceMessageId = init.sourceMessageId;
    this.createdAt = init.createdAt;
    this.#ackWindowMs = init.ackWindowMs;
    this.#defaultTimeoutMs = init.defaultTimeoutMs;
    this.#messages = messages;
    this.#changes = changes;
  }

  /** The accepted acknowledgement, or `null` while there is none. */
  get acknowledgement(): Acknowledgement | null {
    return this.#acknowledgement;
  }

  /** True once the acknowledgement window passed without a valid callback. */
  get expired(): boolean {
    return this.#expired;
  }

  /**
   * Resolves with the acknowledgement; rejects as soon as the acknowledgement window
   * (3 s unless the double was started with another `ackWindowMs`) passes without one.
   */
  acknowledged(): Promise<Acknowledgement> {
    return this.#changes.waitUntil(
      () => {
        if (this.#acknowledgement) return this.#acknowledgement;
        if (this.#expired) {
          throw new Error(
            `interaction ${this.#describe()} was not acknowledged within ${this.#ackWindowMs} ms`,
          );
        }
        return undefined;
      },
      this.#ackWindowMs + 1000,
      () => `the acknowledgement of ${this.#describe()}`,
    );
  }

  /**
   * The `@original` response: the reply (or deferred reply) created by the callback, or for a
   * component answered with update / deferred update, the message the component is on.
   */
  get original(): StoredMessage | undefined {
    return this.#originalId === null ? undefined : this.#messages.get(this.#originalId);
  }

  /** Follow-up messages, in the order they were sent. */
  get followUps(): StoredMessage[] {
    return this.#followUpIds.flatMap((id) => this.#messages.get(id) ?? []);
  }

  /** The original response (if any) followed by the follow-ups. */
  get replies(): StoredMessage[] {
    const original = this.original;
    return original ? [original, ...this.followUps] : this.followUps;
  }

  /** Autocomplete choices the bot answered with; `null` before it answered. */
  get choices(): APIApplicationCommandOptionChoice[] | null {
    return this.#choices;
  }

  /**
   * Resolves with the first reply (original or follow-up) that the user can read — not deleted,
   * not still "is thinking…" — and that matches `predicate`; re-checked after every change.
   * For an update, the clicked message counts once the bot has edited it through this interaction.
   */
  waitForReply(
    predicate: (message: StoredMessage) => boolean = () => true,
    timeoutMs = this.#defaultTimeoutMs,
  ): Promise<StoredMessage> {
    return this.#changes.waitUntil(
      () =>
        this.replies.find(
          (message) => !message.deleted && !message.loading && this.#touched(message) && predicate(message),
        ),
      timeoutMs,
      () => `a reply to ${this.#describe()} matching ${predicate.toString()}`,
    );
  }

  /** Resolves with the autocomplete choices once the bot answers. */
  waitForChoices(timeoutMs = this.#ackWindowMs + 1000): Promise<APIApplicationCommandOptionChoice[]> {
    return this.#changes.waitUntil(
      () => {
        if (this.#choices) return this.#choices;
        if (this.#acknowledgement || this.#expired) {
          throw new Error(`autocomplete ${this.#describe()} was not answered with choices`);
        }
        return undefined;
      },
      timeoutMs,
      () => `autocomplete choices for ${this.#describe()}`,
    );
  }

  /** Records the bot's acknowledgement. @internal Called by the double's REST routes. */
  recordAcknowledgement(type: InteractionResponseType, at: number): void {
    this.#acknowledgement = { type, at, latencyMs: at - this.createdAt };
  }

  /** Marks the acknowledgement window as passed without an acknowledgement. @internal */
  markExpired(): void {
    this.#expired = true;
  }

  /** @internal */
  setOriginal(messageId: string): void {
    this.#originalId = messageId;
  }

  /** @internal */
  addFollowUp(messageId: string): void {
    this.#followUpIds.push(messageId);
  }

  /** @internal */
  setChoices(choices: APIApplicationCommandOptionChoice[]): void {
    this.#choices = choices;
  }

  /** Whether `messageId` is a response of this interaction (so its webhook may read and edit it). */
  owns(messageId: string): boolean {
    return this.#originalId === messageId || this.#followUpIds.includes(messageId);
  }

  #touched(message: StoredMessage): boolean {
    return (
      message.id !== this.sourceMessageId ||
      message.revisions.some((revision) => revision.at >= this.createdAt)
    );
  }

  #describe(): string {
    return this.commandName
      ? `/${this.commandName} (${this.id})`
      : `click on "${this.customId}" (${this.id})`;
  }
}
