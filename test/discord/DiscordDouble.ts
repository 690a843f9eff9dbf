import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type APIApplicationCommand,
  type APIApplicationCommandAutocompleteGuildInteraction,
  type APIApplicationCommandOptionChoice,
  type APIChatInputApplicationCommandGuildInteraction,
  type APIInteraction,
  type APIInteractionDataResolved,
  type APIMessageComponentGuildInteraction,
  ApplicationCommandType,
  type ApplicationFlags,
  ApplicationIntegrationType,
  ComponentType,
  GatewayDispatchEvents,
  InteractionContextType,
  InteractionType,
  Locale,
} from "discord-api-types/v10";
import { buildCommandOptions, type SlashOptionValue, type SubcommandPath } from "./commandOptions.ts";
import {
  type DiscordDoubleOptions,
  type DoubleError,
  DoubleState,
  type RateLimitRecord,
  type RequestRecord,
} from "./DoubleState.ts";
import { GatewayServer, type GatewaySession } from "./GatewayServer.ts";
import { type DoubleUser, InteractionHandle } from "./InteractionHandle.ts";
import { guildCreatePayload, interactionMemberPayload, memberPermissions } from "./payloads.ts";
import { handleRestRequest, type RouteKey } from "./restRoutes.ts";
import type { StoredMessage } from "./StoredMessage.ts";
import { nextSnowflake, stableSnowflake } from "./snowflake.ts";
import { walkComponents } from "./validateMessage.ts";

export type { SlashOptionValue } from "./commandOptions.ts";
export type { DiscordDoubleOptions, DoubleError, RateLimitRecord, RequestRecord } from "./DoubleState.ts";
export type { GatewaySession } from "./GatewayServer.ts";
export type { Acknowledgement, DoubleUser, InteractionHandle } from "./InteractionHandle.ts";
export type { RouteKey } from "./restRoutes.ts";
export type { MessageRevision, MessageSource, StoredAttachment, StoredMessage } from "./StoredMessage.ts";

/** Options of `slash` and `autocomplete` beyond the command's own options. */
export interface InvokeOptions extends SubcommandPath {
  /** The invoking user's client locale. Default: `en-US`. */
  locale?: Locale;
}

/**
 * Which requests `rateLimitNext` answers with 429: a route key
 * (`"PATCH /webhooks/:application/:token/messages/@original"`), a RegExp tested against
 * `"METHOD /path"` (path after `/api/v10`, decoded), or a function of the request record.
 */
export type RequestMatcher = RouteKey | RegExp | ((request: RequestRecord) => boolean);

/**
 * A local Discord for end-to-end tests: a REST API under `apiUrl` and a gateway, on 127.0.0.1
 * with a free port, that a real discord.js `Client` logs in to. Tests play the users (`slash`,
 * `click`, `autocomplete`) and read what the bot did (`messages`, interaction handles).
 * Discord's rules are enforced with Discord's error responses, and every violation is kept in
 * `errors`; call `assertNoErrors()` at the end of each test. One double per test file.
 *
 * @example
 * const double = await DiscordDouble.start();
 * const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: double.apiUrl } });
 * await client.login(double.token);
 * const reply = await double.slash(double.user("alice"), "lesson", { topic: "tokens" }).waitForReply();
 */
export class DiscordDouble {
  /** REST base for discord.js's `rest.api` option, e.g. `http://127.0.0.1:40123/api`. */
  readonly apiUrl: string;
  /** What `GET /gateway/bot` returns, e.g. `ws://127.0.0.1:40123/gateway`. */
  readonly gatewayUrl: string;
  /** The bot token the double accepts; any other gets 401 (REST) or close code 4004 (gateway). */
  readonly token: string;
  /** The application id, which is also the bot user's id. */
  readonly applicationId: string;
  /** The id of the one guild the bot is in. */
  readonly guild: string;
  /** The id of the guild's one text channel, where every interaction happens. */
  readonly channel: string;

  readonly #state: DoubleState;
  readonly #server: Server;
  readonly #gateway: GatewayServer;

  private constructor(state: DoubleState, server: Server, gateway: GatewayServer, port: number) {
    this.#state = state;
    this.#server = server;
    this.#gateway = gateway;
    this.apiUrl = `http://127.0.0.1:${port}/api`;
    this.gatewayUrl = gateway.url;
    this.token = state.token;
    this.applicationId = state.applicationId;
    this.guild = state.guildId;
    this.channel = state.channelId;
  }

  /** Starts a double on 127.0.0.1 with a free port. */
  static async start(options: DiscordDoubleOptions = {}): Promise<DiscordDouble> {
    const state = new DoubleState(options);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const gateway = new GatewayServer({
      url: `ws://127.0.0.1:${port}/gateway`,
      token: state.token,
      heartbeatIntervalMs: state.options.heartbeatIntervalMs,
      ready: (sessionId) => ({
        v: 10,
        user: state.bot,
        guilds: [{ id: state.guildId, unavailable: true }],
        session_id: sessionId,
        resume_gateway_url: `ws://127.0.0.1:${port}/gateway`,
        shard: [0, 1],
        application: { id: state.applicationId, flags: 0 as ApplicationFlags, flags_new: "0" },
      }),
      guildCreate: () =>
        guildCreatePayload({
          guildId: state.guildId,
          guildName: state.options.guildName,
          ownerId: state.ownerId,
          channel: state.channel,
          bot: state.bot,
          joinedAt: state.joinedAt,
        }),
      recordError: (message) => state.recordError({ kind: "gateway", request: null, code: null, message }),
    });
    server.on("request", (request, response) => {
      handleRestRequest(state, request, response, gateway.url).catch((error: unknown) => {
        state.recordError({
          kind: "violation",
          request: `${request.method} ${request.url}`,
          code: null,
          message: `the double failed on this request: ${String(error)}`,
        });
        if (!response.headersSent) response.writeHead(500).end();
      });
    });
    server.on("upgrade", (request, socket, head) => gateway.handleUpgrade(request, socket, head));
    return new DiscordDouble(state, server, gateway, port);
  }

  /** The bot's own user. */
  get botUser(): DoubleUser {
    return {
      id: this.#state.bot.id,
      username: this.#state.bot.username,
      displayName: this.#state.bot.username,
    };
  }

  /** A guild member named `username`; the same name always gives the same snowflake. */
  user(username: string): DoubleUser {
    return this.#state.user(username);
  }

  /**
   * Gives `user` extra permissions in the guild, as a role would (for example
   * `PermissionFlagsBits.ManageGuild`). Interactions from them carry the combined permissions,
   * and commands whose `default_member_permissions` they now meet become usable.
   */
  grant(user: DoubleUser, permissions: bigint): void {
    this.#state.grants.set(user.id, (this.#state.grants.get(user.id) ?? 0n) | permissions);
  }

  /**
   * Deletes the guild's text channel as an admin would: dispatches CHANNEL_DELETE to every
   * connected client. The double's messages stay readable for assertions.
   */
  deleteChannel(): void {
    this.#gateway.dispatch(GatewayDispatchEvents.ChannelDelete, this.#state.channel);
  }

  /** Commands the bot registered (`PUT .../commands`), with the ids Discord gave them. */
  get commands(): { global: readonly APIApplicationCommand[]; guild: readonly APIApplicationCommand[] } {
    return { global: this.#state.globalCommands, guild: this.#state.guildCommands };
  }

  /**
   * `user` runs `/commandName` with `options`: dispatches INTERACTION_CREATE (type 2) to every
   * connected client. Option types come from the registered command if there is one (and the
   * options are checked as Discord's client would), otherwise from the JavaScript values.
   * Throws if no discord.js client is connected.
   */
  slash(
    user: DoubleUser,
    commandName: string,
    options: Record<string, SlashOptionValue> = {},
    invoke: InvokeOptions = {},
  ): InteractionHandle {
    const command = this.#findCommand(commandName);
    const required = command?.default_member_permissions;
    if (required && (BigInt(required) & ~this.#permissionsOf(user)) !== 0n) {
      // Discord's client does not offer such a command to the member at all.
      throw new Error(
        `DiscordDouble.slash: ${user.username} lacks the permissions /${commandName} requires (${required})`,
      );
    }
    const built = buildCommandOptions(commandName, command, options, invoke);
    return this.#dispatchInteraction(
      { type: InteractionType.ApplicationCommand, user, commandName, customId: null, sourceMessageId: null },
      (base): APIChatInputApplicationCommandGuildInteraction => ({
        ...base,
        type: InteractionType.ApplicationCommand,
        locale: invoke.locale ?? Locale.EnglishUS,
        data: {
          id: command?.id ?? stableSnowflake(`command:${commandName}`),
          name: commandName,
          type: ApplicationCommandType.ChatInput,
          guild_id: this.guild,
          options: built.options,
          ...(built.users.length > 0 ? { resolved: this.#resolveUsers(built.users) } : {}),
        },
      }),
    );
  }

  /**
   * `user` types `value` into option `focusedOption` of `/commandName`: dispatches an autocomplete
   * interaction (type 4) and resolves with the bot's choices. `otherOptions` are the options
   * already filled in.
   */
  autocomplete(
    user: DoubleUser,
    commandName: string,
    focusedOption: string,
    value: string,
    invoke: InvokeOptions & { otherOptions?: Record<string, SlashOptionValue> } = {},
  ): Promise<APIApplicationCommandOptionChoice[]> {
    const command = this.#findCommand(commandName);
    const values = { ...invoke.otherOptions, [focusedOption]: value };
    const built = buildCommandOptions(commandName, command, values, invoke, focusedOption);
    const handle = this.#dispatchInteraction(
      {
        type: InteractionType.ApplicationCommandAutocomplete,
        user,
        commandName,
        customId: null,
        sourceMessageId: null,
      },
      (base): APIApplicationCommandAutocompleteGuildInteraction => ({
        ...base,
        type: InteractionType.ApplicationCommandAutocomplete,
        locale: invoke.locale ?? Locale.EnglishUS,
        data: {
          id: command?.id ?? stableSnowflake(`command:${commandName}`),
          name: commandName,
          type: ApplicationCommandType.ChatInput,
          guild_id: this.guild,
          options: built.options,
        },
      }),
    );
    return handle.waitForChoices();
  }

  /**
   * `user` clicks the component `customId` on `message`: dispatches a MESSAGE_COMPONENT
   * interaction (type 3) carrying the message as it is now. Throws if the user could not click
   * it: no such component, disabled, message deleted or ephemeral for someone else.
   */
  click(user: DoubleUser, message: StoredMessage | string, customId: string): InteractionHandle {
    const { stored } = this.#usableComponent("click", user, message, customId, ComponentType.Button);
    return this.#dispatchComponent(user, stored, {
      custom_id: customId,
      component_type: ComponentType.Button,
    });
  }

  /**
   * `user` picks `value` in the string menu `customId` on `message`: dispatches a MESSAGE_COMPONENT
   * interaction carrying the picked value. Throws if the user could not pick it: no such menu, not
   * a string menu, disabled, no such option, or the message is not theirs to see.
   */
  select(
    user: DoubleUser,
    message: StoredMessage | string,
    customId: string,
    value: string,
  ): InteractionHandle {
    const { stored, component } = this.#usableComponent(
      "select",
      user,
      message,
      customId,
      ComponentType.StringSelect,
    );
    const options = (component.options ?? []) as { value: string }[];
    if (!options.some((option) => option.value === value)) {
      throw new Error(`DiscordDouble.select: "${customId}" has no option "${value}"`);
    }
    return this.#dispatchComponent(user, stored, {
      custom_id: customId,
      component_type: ComponentType.StringSelect,
      values: [value],
    });
  }

  /** Dispatches a MESSAGE_COMPONENT interaction from `user` on `stored` as it is now. */
  #dispatchComponent(
    user: DoubleUser,
    stored: StoredMessage,
    data: APIMessageComponentGuildInteraction["data"],
  ): InteractionHandle {
    return this.#dispatchInteraction(
      {
        type: InteractionType.MessageComponent,
        user,
        commandName: null,
        customId: data.custom_id,
        sourceMessageId: stored.id,
      },
      (base): APIMessageComponentGuildInteraction => ({
        ...base,
        type: InteractionType.MessageComponent,
        locale: Locale.EnglishUS,
        message: stored.current,
        data,
      }),
    );
  }

  /**
   * The component `customId` on `message` as `user` could use it: the message exists, is not
   * deleted and is visible to them, and the component is there, enabled and of type `type`.
   */
  #usableComponent(
    verb: "click" | "select",
    user: DoubleUser,
    message: StoredMessage | string,
    customId: string,
    type: ComponentType,
  ) {
    const stored = typeof message === "string" ? this.#state.messages.get(message) : message;
    if (!stored) throw new Error(`DiscordDouble.${verb}: no message ${String(message)}`);
    if (stored.deleted) throw new Error(`DiscordDouble.${verb}: message ${stored.id} was deleted`);
    if (!stored.isVisibleTo(user.id)) {
      throw new Error(
        `DiscordDouble.${verb}: message ${stored.id} is ephemeral and ${user.username} cannot see it`,
      );
    }
    const found = [...walkComponents(stored.components)].find(
      ({ component }) => component.custom_id === customId,
    );
    if (!found) {
      throw new Error(
        `DiscordDouble.${verb}: no component "${customId}" on ${stored.id}; has ${stored.customIds.join(", ")}`,
      );
    }
    if (found.component.disabled === true)
      throw new Error(`DiscordDouble.${verb}: "${customId}" is disabled`);
    if (found.component.type !== type) {
      throw new Error(
        `DiscordDouble.${verb}: "${customId}" is not a ${type === ComponentType.Button ? "button" : "string menu"} (type ${String(found.component.type)})`,
      );
    }
    return { stored, component: found.component };
  }

  /** Every interaction dispatched so far, oldest first. */
  get interactions(): InteractionHandle[] {
    return [...this.#state.interactions.values()];
  }

  /** Every message the bot created in the channel, oldest first, deleted ones included. */
  get messages(): StoredMessage[] {
    return [...this.#state.messages.values()];
  }

  /** The first non-deleted message matching `predicate`, now or after a later change. */
  waitFor(
    predicate: (message: StoredMessage) => boolean,
    timeoutMs = this.#state.options.defaultTimeoutMs,
  ): Promise<StoredMessage> {
    return this.#state.changes.waitUntil(
      () => this.messages.find((message) => !message.deleted && predicate(message)),
      timeoutMs,
      () => `a message matching ${predicate.toString()}`,
    );
  }

  /** Violations of Discord's rules, unknown routes and gateway problems, in order. */
  get errors(): readonly DoubleError[] {
    return this.#state.errors;
  }

  /** Empties `errors` and returns what it held, for tests that provoke errors on purpose. */
  takeErrors(): DoubleError[] {
    return this.#state.errors.splice(0);
  }

  /** Throws, listing them, if the double recorded any error. */
  assertNoErrors(): void {
    if (this.#state.errors.length === 0) return;
    const lines = this.#state.errors.map(
      (error) =>
        `- [${error.kind}] ${error.request ?? "gateway"}${error.code ? ` → ${error.code}` : ""}: ${error.message}`,
    );
    throw new Error(`DiscordDouble recorded ${lines.length} error(s):\n${lines.join("\n")}`);
  }

  /**
   * Answers the next request matching `matcher` with 429 (`Retry-After`, `X-RateLimit-*` headers and
   * Discord's JSON body). The returned record fills in when the 429 was sent and when the retry came.
   */
  rateLimitNext(matcher: RequestMatcher, retryAfterSeconds: number): RateLimitRecord {
    const record: RateLimitRecord = {
      retryAfterSeconds,
      limitedAt: null,
      limitedRequest: null,
      retriedAt: null,
    };
    const matches =
      typeof matcher === "function"
        ? matcher
        : matcher instanceof RegExp
          ? (request: RequestRecord) => matcher.test(`${request.method} ${request.path}`)
          : (request: RequestRecord) => request.route === matcher;
    this.#state.rateLimits.push({ record, matches });
    return record;
  }

  /** Every REST request, in arrival order, with the status the double answered. */
  get requests(): readonly RequestRecord[] {
    return this.#state.requests;
  }

  /** How many requests hit `route` (including rejected and rate-limited ones). */
  requestCount(route: RouteKey): number {
    return this.#state.requests.filter((request) => request.route === route).length;
  }

  /** Every gateway session (one per IDENTIFY), oldest first. */
  get gatewaySessions(): readonly GatewaySession[] {
    return this.#gateway.sessions;
  }

  /** Cuts every gateway socket without a close frame, like a network failure; clients resume. */
  dropGatewayConnections(): void {
    this.#gateway.dropConnections();
  }

  /** Stops the servers, drops connections and cancels timers. */
  async close(): Promise<void> {
    this.#state.close();
    this.#gateway.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #findCommand(name: string): APIApplicationCommand | undefined {
    const isSlash = (command: APIApplicationCommand) =>
      command.name === name && command.type === ApplicationCommandType.ChatInput;
    return this.#state.guildCommands.find(isSlash) ?? this.#state.globalCommands.find(isSlash);
  }

  #permissionsOf(user: DoubleUser): bigint {
    return memberPermissions | (this.#state.grants.get(user.id) ?? 0n);
  }

  #resolveUsers(users: DoubleUser[]): APIInteractionDataResolved {
    const resolved: Required<Pick<APIInteractionDataResolved, "users" | "members">> = {
      users: {},
      members: {},
    };
    for (const user of users) {
      const { user: apiUser, ...member } = interactionMemberPayload(
        this.#state.apiUser(user),
        this.#state.joinedAt,
      );
      resolved.users[user.id] = apiUser;
      resolved.members[user.id] = member;
    }
    return resolved;
  }

  #dispatchInteraction<T extends APIInteraction>(
    init: Pick<InteractionHandle, "type" | "user" | "commandName" | "customId" | "sourceMessageId">,
    build: (base: InteractionBase) => T,
  ): InteractionHandle {
    const state = this.#state;
    if (this.#gateway.liveCount === 0) {
      throw new Error(
        "DiscordDouble: no discord.js client is connected; wait for its clientReady event first",
      );
    }
    const id = nextSnowflake();
    // Shaped like Discord's: base64 of "interaction:<id>:<secret>".
    const token = Buffer.from(`interaction:${id}:${randomBytes(48).toString("base64url")}`).toString(
      "base64url",
    );
    const handle = new InteractionHandle(
      {
        ...init,
        id,
        token,
        createdAt: Date.now(),
        ackWindowMs: state.options.ackWindowMs,
        defaultTimeoutMs: state.options.defaultTimeoutMs,
      },
      state.messages,
      state.changes,
    );
    state.interactions.set(id, handle);
    state.interactionsByToken.set(token, handle);
    state.schedule(state.options.ackWindowMs, () => {
      if (handle.acknowledgement) return;
      handle.markExpired();
      state.recordError({
        kind: "violation",
        request: null,
        code: 10062,
        message: `interaction ${id} (${init.commandName ? `/${init.commandName}` : `"${init.customId}"`}) was not acknowledged within ${state.options.ackWindowMs} ms; the user sees "The application did not respond"`,
      });
      state.changes.notify();
    });
    const apiUser = state.apiUser(init.user);
    const base: InteractionBase = {
      id,
      application_id: state.applicationId,
      token,
      version: 1,
      guild_id: state.guildId,
      guild: { id: state.guildId, locale: Locale.EnglishUS, features: [] },
      channel: state.channel,
      channel_id: state.channelId,
      member: interactionMemberPayload(apiUser, state.joinedAt, state.grants.get(init.user.id)),
      app_permissions: memberPermissions.toString(),
      guild_locale: Locale.EnglishUS,
      entitlements: [],
      authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: state.guildId },
      context: InteractionContextType.Guild,
      attachment_size_limit: 10 * 1024 * 1024,
    };
    this.#gateway.dispatch(GatewayDispatchEvents.InteractionCreate, build(base));
    return handle;
  }
}

/** The fields every guild interaction shares, before its type-specific `type`, `data` and `locale`. */
type InteractionBase = Omit<APIChatInputApplicationCommandGuildInteraction, "type" | "data" | "locale">;
