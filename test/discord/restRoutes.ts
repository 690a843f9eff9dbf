import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type APIApplication,
  type APIApplicationCommandOptionChoice,
  type APIInteractionResponse,
  ApplicationFlags,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  type RESTGetAPIGatewayBotResult,
  type RESTPostAPIInteractionCallbackWithResponseResult,
} from "discord-api-types/v10";
import { ApiError, type FormIssue } from "./ApiError.ts";
import { overwriteCommands } from "./commandDefinitions.ts";
import type { DoubleState, RequestRecord } from "./DoubleState.ts";
import type { InteractionHandle } from "./InteractionHandle.ts";
import { type RequestBody, readRequestBody, type UploadedFile } from "./readRequestBody.ts";
import type { MessageSource, StoredAttachment, StoredMessage } from "./StoredMessage.ts";
import { nextSnowflake } from "./snowflake.ts";
import { codePointLength, type MessageBody, messageLimits, validateMessage } from "./validateMessage.ts";

interface RouteContext {
  state: DoubleState;
  params: Record<string, string>;
  query: URLSearchParams;
  body: RequestBody;
  /** When the request arrived, before its body was read: deadlines are judged on this. */
  at: number;
  /** The WebSocket URL to hand out from `GET /gateway/bot`. */
  gatewayUrl: string;
}

interface RouteResult {
  status: number;
  json?: unknown;
}

interface Route {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path after `/api/v10`; `:name` segments capture, others match literally. */
  path: string;
  /** Whether the route needs `Authorization: Bot <token>` (interaction and webhook routes do not). */
  auth: boolean;
  handle(context: RouteContext): RouteResult | Promise<RouteResult>;
}

const json = (value: unknown, status = 200): RouteResult => ({ status, json: value });
const noContent: RouteResult = { status: 204 };

// ---- bodies and attachments -------------------------------------------------------------

function messageBody(value: unknown, path: (string | number)[]): MessageBody {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw ApiError.invalidFormBody(
      [{ path, code: "DICT_TYPE_CONVERT", message: "Only dictionaries may be used in a DictType" }],
      "message body is not an object",
    );
  }
  return value as MessageBody;
}

function checkMessage(
  body: MessageBody,
  files: UploadedFile[],
  path: (string | number)[],
  what: string,
): void {
  const issues = validateMessage(body, files.length, path);
  if (issues.length > 0) {
    const summary = issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw ApiError.invalidFormBody(issues, `${what} breaks Discord's message limits: ${summary}`);
  }
}

function uploaded(
  file: UploadedFile,
  description: string | undefined,
  filename: string | undefined,
): StoredAttachment {
  return {
    id: nextSnowflake(),
    filename: filename ?? file.filename,
    contentType: file.contentType,
    description,
    bytes: file.bytes,
  };
}

/**
 * The attachments a message ends up with. Without an `attachments` array, new files are added
 * to what the message had; with one, only the listed existing attachments stay, plus new files
 * (listed by their `files[n]` index as id, or not listed at all).
 */
function resolveAttachments(
  existing: readonly StoredAttachment[],
  listed: MessageBody["attachments"],
  files: UploadedFile[],
): StoredAttachment[] {
  if (listed === undefined)
    return [...existing, ...files.map((file) => uploaded(file, undefined, undefined))];
  const result: StoredAttachment[] = [];
  const used = new Set<number>();
  const issues: FormIssue[] = [];
  (listed ?? []).forEach((entry, index) => {
    const kept = existing.find((attachment) => attachment.id === String(entry.id));
    const file = files.find((candidate) => String(candidate.index) === String(entry.id));
    if (kept) {
      result.push(kept);
    } else if (file) {
      used.add(file.index);
      result.push(uploaded(file, entry.description ?? undefined, entry.filename ?? undefined));
    } else {
      issues.push({
        path: ["attachments", index, "id"],
        code: "ATTACHMENT_NOT_FOUND",
        message: "Unknown attachment",
      });
    }
  });
  if (issues.length > 0)
    throw ApiError.invalidFormBody(issues, "attachments[] names a file that was not uploaded");
  for (const file of files) if (!used.has(file.index)) result.push(uploaded(file, undefined, undefined));
  if (result.length > messageLimits.attachments) {
    throw ApiError.invalidFormBody(
      [{ path: ["attachments"], code: "BASE_TYPE_MAX_LENGTH", message: "Must be 10 or fewer in length." }],
      `message would have ${result.length} attachments; Discord allows ${messageLimits.attachments}`,
    );
  }
  return result;
}

/** Discord refuses a message with nothing to show (code 50006). */
function checkNotEmpty(
  message: { content: string; embeds: unknown[]; components: unknown[]; attachments: unknown[] },
  what: string,
): void {
  const empty =
    message.content.trim() === "" &&
    message.embeds.length === 0 &&
    message.components.length === 0 &&
    message.attachments.length === 0;
  if (empty) throw ApiError.emptyMessage(`${what} has nothing to show`);
}

/** Validates and stores a new message from the bot (reply, follow-up or channel message). */
function createBotMessage(
  context: RouteContext,
  init: { source: MessageSource; interaction: InteractionHandle | null; body: MessageBody; what: string },
): StoredMessage {
  const { body, what } = init;
  const path = init.source === "reply" ? ["data"] : [];
  checkMessage(body, context.body.files, path, what);
  const attachments = resolveAttachments([], body.attachments, context.body.files);
  checkNotEmpty(
    {
      content: body.content ?? "",
      embeds: body.embeds ?? [],
      components: body.components ?? [],
      attachments,
    },
    what,
  );
  return context.state.createMessage({ ...init, attachments, at: context.at });
}

/** Validates and applies an edit to a stored message (webhook edit, update, channel edit). */
function editBotMessage(
  context: RouteContext,
  message: StoredMessage,
  body: MessageBody,
  init: { path: (string | number)[]; what: string },
): StoredMessage {
  checkMessage(body, context.body.files, init.path, init.what);
  const attachments = resolveAttachments(message.attachments, body.attachments, context.body.files);
  checkNotEmpty(
    {
      content: body.content === undefined ? message.content : (body.content ?? ""),
      embeds: body.embeds === undefined ? message.embeds : (body.embeds ?? []),
      components: body.components === undefined ? message.components : (body.components ?? []),
      attachments,
    },
    init.what,
  );
  return context.state.editMessage(message, body, attachments, context.at);
}

// ---- interactions ----------------------------------------------------------------------

function describe(interaction: InteractionHandle): string {
  return interaction.commandName
    ? `/${interaction.commandName} (${interaction.id})`
    : `click on "${interaction.customId}" (${interaction.id})`;
}

function wrongResponseType(interaction: InteractionHandle, type: number): ApiError {
  return ApiError.invalidFormBody(
    [
      {
        path: ["type"],
        code: "INTERACTION_RESPONSE_TYPE_INVALID",
        message: "Invalid interaction response type",
      },
    ],
    `callback type ${type} does not fit ${describe(interaction)} (interaction type ${interaction.type})`,
  );
}

function checkChoices(choices: APIApplicationCommandOptionChoice[]): void {
  const issues: FormIssue[] = [];
  if (choices.length > messageLimits.autocompleteChoices) {
    issues.push({
      path: ["data", "choices"],
      code: "BASE_TYPE_MAX_LENGTH",
      message: "Must be 25 or fewer in length.",
    });
  }
  choices.forEach((choice, index) => {
    if (codePointLength(choice.name) > messageLimits.choiceName || codePointLength(choice.name) < 1) {
      issues.push({
        path: ["data", "choices", index, "name"],
        code: "BASE_TYPE_BAD_LENGTH",
        message: "Must be between 1 and 100 in length.",
      });
    }
  });
  if (issues.length > 0)
    throw ApiError.invalidFormBody(issues, "autocomplete choices break Discord's limits");
}

/** POST /interactions/:interaction/:token/callback: the one acknowledgement. */
function interactionCallback(context: RouteContext): RouteResult {
  const { state, params } = context;
  const interaction = state.interactions.get(params.interaction ?? "");
  if (!interaction || interaction.token !== params.token) {
    throw ApiError.unknownInteraction(`callback for unknown interaction ${params.interaction}`);
  }
  const response = context.body.json as APIInteractionResponse | undefined;
  const type = response?.type;
  const first = interaction.acknowledgement;
  if (first) {
    throw ApiError.alreadyAcknowledged(
      `${describe(interaction)} acknowledged twice: callback type ${type} after type ${first.type}`,
    );
  }
  const elapsed = context.at - interaction.createdAt;
  if (elapsed > state.options.ackWindowMs) {
    throw ApiError.unknownInteraction(
      `${describe(interaction)} acknowledged after ${elapsed} ms; Discord allows ${state.options.ackWindowMs} ms`,
    );
  }
  const isComponent = interaction.type === InteractionType.MessageComponent;
  const isAutocomplete = interaction.type === InteractionType.ApplicationCommandAutocomplete;
  let message: StoredMessage | undefined;
  switch (response?.type) {
    case InteractionResponseType.ChannelMessageWithSource: {
      if (isAutocomplete) throw wrongResponseType(interaction, response.type);
      message = createBotMessage(context, {
        source: "reply",
        interaction,
        body: messageBody(response.data, ["data"]),
        what: `reply to ${describe(interaction)}`,
      });
      interaction.setOriginal(message.id);
      break;
    }
    case InteractionResponseType.DeferredChannelMessageWithSource: {
      if (isAutocomplete) throw wrongResponseType(interaction, response.type);
      const ephemeral = (response.data?.flags ?? 0) & MessageFlags.Ephemeral;
      message = state.createMessage({
        source: "deferred-reply",
        interaction,
        body: { content: "", flags: MessageFlags.Loading | ephemeral },
        attachments: [],
        at: context.at,
      });
      interaction.setOriginal(message.id);
      break;
    }
    case InteractionResponseType.DeferredMessageUpdate:
    case InteractionResponseType.UpdateMessage: {
      const clicked = interaction.sourceMessageId
        ? state.messages.get(interaction.sourceMessageId)
        : undefined;
      if (!isComponent || !clicked) throw wrongResponseType(interaction, response.type);
      if (response.type === InteractionResponseType.UpdateMessage) {
        editBotMessage(context, clicked, messageBody(response.data ?? {}, ["data"]), {
          path: ["data"],
          what: `update from ${describe(interaction)}`,
        });
      }
      message = clicked;
      interaction.setOriginal(clicked.id);
      break;
    }
    case InteractionResponseType.ApplicationCommandAutocompleteResult: {
      if (!isAutocomplete) throw wrongResponseType(interaction, response.type);
      const choices = response.data.choices ?? [];
      checkChoices(choices);
      interaction.setChoices(choices);
      break;
    }
    default:
      throw ApiError.invalidFormBody(
        [{ path: ["type"], code: "BASE_TYPE_CHOICES", message: `Value must be one of the supported types.` }],
        `callback type ${String(type)} is not one the double supports (4, 5, 6, 7, 8)`,
      );
  }
  interaction.recordAcknowledgement(response.type, context.at);
  state.changes.notify();
  if (context.query.get("with_response") !== "true") return noContent;
  const result: RESTPostAPIInteractionCallbackWithResponseResult = {
    interaction: {
      id: interaction.id,
      type: interaction.type,
      ...(message
        ? {
            response_message_id: message.id,
            response_message_loading: message.loading,
            response_message_ephemeral: message.ephemeral,
          }
        : {}),
    },
    resource: { type: response.type, ...(message ? { message: message.current } : {}) },
  };
  return json(result);
}

/** The interaction behind a webhook route, once its application id and token check out. */
function webhookInteraction(context: RouteContext): InteractionHandle {
  const { state, params } = context;
  if (params.application !== state.applicationId) {
    throw ApiError.unknownWebhook(
      `webhook route for application ${params.application}, not ${state.applicationId}`,
    );
  }
  const interaction = state.interactionsByToken.get(params.token ?? "");
  if (!interaction) throw ApiError.invalidWebhookToken("webhook route with an unknown interaction token");
  const age = context.at - interaction.createdAt;
  if (age > state.options.tokenLifetimeMs) {
    throw ApiError.invalidWebhookToken(
      `token of ${describe(interaction)} used ${age} ms after the interaction; it expires after ${state.options.tokenLifetimeMs} ms`,
    );
  }
  if (!interaction.acknowledgement) {
    throw ApiError.unknownWebhook(`webhook route used before ${describe(interaction)} was acknowledged`);
  }
  return interaction;
}

function webhookMessage(
  context: RouteContext,
  interaction: InteractionHandle,
  id: string | undefined,
): StoredMessage {
  const message = id === undefined ? interaction.original : context.state.messages.get(id);
  if (!message || !interaction.owns(message.id)) {
    throw ApiError.unknownMessage(`${describe(interaction)} has no response message ${id ?? "@original"}`);
  }
  if (message.deleted) throw ApiError.unknownMessage(`message ${message.id} was already deleted`);
  return message;
}

function getWebhookMessage(context: RouteContext): RouteResult {
  const interaction = webhookInteraction(context);
  return json(webhookMessage(context, interaction, context.params.message).current);
}

function editWebhookMessage(context: RouteContext): RouteResult {
  const interaction = webhookInteraction(context);
  const message = webhookMessage(context, interaction, context.params.message);
  const body = messageBody(context.body.json ?? {}, []);
  const what = `edit of ${message.id} for ${describe(interaction)}`;
  return json(editBotMessage(context, message, body, { path: [], what }).current);
}

function deleteWebhookMessage(context: RouteContext): RouteResult {
  const interaction = webhookInteraction(context);
  const message = webhookMessage(context, interaction, context.params.message);
  message.deletedAt = context.at;
  context.state.changes.notify();
  return noContent;
}

/**
 * POST /webhooks/:application/:token: a follow-up. As on Discord, the first follow-up after a
 * deferred reply edits the "is thinking…" message instead of creating one, and keeps its
 * ephemeral state whatever the follow-up's flags say.
 */
function followUp(context: RouteContext): RouteResult {
  const interaction = webhookInteraction(context);
  const body = messageBody(context.body.json, []);
  const what = `follow-up to ${describe(interaction)}`;
  const original = interaction.original;
  let message: StoredMessage;
  if (original?.source === "deferred-reply" && original.loading && !original.deleted) {
    const { flags: _ignored, ...rest } = body;
    message = editBotMessage(context, original, rest, { path: [], what });
  } else {
    message = createBotMessage(context, { source: "follow-up", interaction, body, what });
    interaction.addFollowUp(message.id);
    // Waiters look for follow-ups through the interaction, which only knows it from here on.
    context.state.changes.notify();
  }
  return context.query.get("wait") === "false" ? noContent : json(message.current);
}

// ---- channel messages ------------------------------------------------------------------

function channelMessage(context: RouteContext): StoredMessage {
  const { state, params } = context;
  if (params.channel !== state.channelId)
    throw ApiError.unknownChannel(`channel ${params.channel} is not in the guild`);
  const message = state.messages.get(params.message ?? "");
  if (!message || message.deleted || message.ephemeral) {
    throw ApiError.unknownMessage(`channel ${params.channel} has no visible message ${params.message}`);
  }
  return message;
}

function createChannelMessage(context: RouteContext): RouteResult {
  const { state, params } = context;
  if (params.channel !== state.channelId)
    throw ApiError.unknownChannel(`channel ${params.channel} is not in the guild`);
  const body = messageBody(context.body.json, []);
  // A channel message cannot be ephemeral; Discord drops the flag.
  const flags = (body.flags ?? 0) & ~MessageFlags.Ephemeral;
  const what = "channel message";
  return json(
    createBotMessage(context, { source: "channel", interaction: null, body: { ...body, flags }, what })
      .current,
  );
}

function editChannelMessage(context: RouteContext): RouteResult {
  const message = channelMessage(context);
  const body = messageBody(context.body.json ?? {}, []);
  const what = `edit of channel message ${message.id}`;
  return json(editBotMessage(context, message, body, { path: [], what }).current);
}

function deleteChannelMessage(context: RouteContext): RouteResult {
  channelMessage(context).deletedAt = context.at;
  context.state.changes.notify();
  return noContent;
}

// ---- application and commands ----------------------------------------------------------

function checkApplication(context: RouteContext): void {
  if (context.params.application !== context.state.applicationId) {
    throw new ApiError(
      404,
      10002,
      "Unknown Application",
      `application ${context.params.application} is not the bot's`,
    );
  }
}

function checkGuild(context: RouteContext): void {
  if (context.params.guild !== context.state.guildId) {
    throw new ApiError(403, 50001, "Missing Access", `guild ${context.params.guild} is not the test guild`);
  }
}

function putCommands(context: RouteContext, scope: "global" | "guild"): RouteResult {
  const { state } = context;
  const previous = scope === "global" ? state.globalCommands : state.guildCommands;
  const { commands, issues } = overwriteCommands(context.body.json, previous, {
    applicationId: state.applicationId,
    ...(scope === "guild" ? { guildId: state.guildId } : {}),
  });
  if (issues.length > 0) throw ApiError.invalidFormBody(issues, `invalid ${scope} command definitions`);
  if (scope === "global") state.globalCommands = commands;
  else state.guildCommands = commands;
  return json(commands);
}

function application(state: DoubleState): APIApplication {
  const flags = ApplicationFlags.GatewayMessageContentLimited;
  return {
    id: state.applicationId,
    name: state.bot.username,
    icon: null,
    description: "",
    bot_public: false,
    bot_require_code_grant: false,
    bot: state.bot,
    summary: "",
    verify_key: "0".repeat(64),
    team: null,
    flags,
    flags_new: flags.toString(),
  };
}

/** Every route the double answers; anything else is a 404 recorded as an error. */
const routes = [
  {
    method: "GET",
    path: "/gateway/bot",
    auth: true,
    handle: (context) => {
      const result: RESTGetAPIGatewayBotResult = {
        url: context.gatewayUrl,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
      };
      return json(result);
    },
  },
  { method: "GET", path: "/users/@me", auth: true, handle: (context) => json(context.state.bot) },
  {
    method: "GET",
    path: "/applications/@me",
    auth: true,
    handle: (context) => json(application(context.state)),
  },
  {
    method: "GET",
    path: "/applications/:application/commands",
    auth: true,
    handle: (context) => {
      checkApplication(context);
      return json(context.state.globalCommands);
    },
  },
  {
    method: "PUT",
    path: "/applications/:application/commands",
    auth: true,
    handle: (context) => {
      checkApplication(context);
      return putCommands(context, "global");
    },
  },
  {
    method: "GET",
    path: "/applications/:application/guilds/:guild/commands",
    auth: true,
    handle: (context) => {
      checkApplication(context);
      checkGuild(context);
      return json(context.state.guildCommands);
    },
  },
  {
    method: "PUT",
    path: "/applications/:application/guilds/:guild/commands",
    auth: true,
    handle: (context) => {
      checkApplication(context);
      checkGuild(context);
      return putCommands(context, "guild");
    },
  },
  {
    method: "POST",
    path: "/interactions/:interaction/:token/callback",
    auth: false,
    handle: interactionCallback,
  },
  {
    method: "GET",
    path: "/webhooks/:application/:token/messages/@original",
    auth: false,
    handle: getWebhookMessage,
  },
  {
    method: "PATCH",
    path: "/webhooks/:application/:token/messages/@original",
    auth: false,
    handle: editWebhookMessage,
  },
  {
    method: "DELETE",
    path: "/webhooks/:application/:token/messages/@original",
    auth: false,
    handle: deleteWebhookMessage,
  },
  {
    method: "GET",
    path: "/webhooks/:application/:token/messages/:message",
    auth: false,
    handle: getWebhookMessage,
  },
  {
    method: "PATCH",
    path: "/webhooks/:application/:token/messages/:message",
    auth: false,
    handle: editWebhookMessage,
  },
  {
    method: "DELETE",
    path: "/webhooks/:application/:token/messages/:message",
    auth: false,
    handle: deleteWebhookMessage,
  },
  { method: "POST", path: "/webhooks/:application/:token", auth: false, handle: followUp },
  { method: "POST", path: "/channels/:channel/messages", auth: true, handle: createChannelMessage },
  {
    method: "GET",
    path: "/channels/:channel/messages/:message",
    auth: true,
    handle: (context) => json(channelMessage(context).current),
  },
  { method: "PATCH", path: "/channels/:channel/messages/:message", auth: true, handle: editChannelMessage },
  {
    method: "DELETE",
    path: "/channels/:channel/messages/:message",
    auth: true,
    handle: deleteChannelMessage,
  },
] as const satisfies readonly Route[];

type KeyOf<R> = R extends { method: infer M extends string; path: infer P extends string }
  ? `${M} ${P}`
  : never;

/** A route as tests name it to count requests or rate-limit it, e.g. `"POST /webhooks/:application/:token"`. */
export type RouteKey = KeyOf<(typeof routes)[number]>;

function matchRoute(
  method: string,
  segments: string[],
): { route: Route; params: Record<string, string> } | null {
  for (const route of routes as readonly Route[]) {
    if (route.method !== method) continue;
    const pattern = route.path.split("/").slice(1);
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = pattern.every((part, index) => {
      const segment = segments[index] ?? "";
      if (part.startsWith(":")) {
        params[part.slice(1)] = segment;
        return true;
      }
      return part === segment;
    });
    if (matches) return { route, params };
  }
  return null;
}

function send(
  response: ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void {
  if (body === undefined) {
    response.writeHead(status, headers).end();
    return;
  }
  response.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}

function sendRateLimit(response: ServerResponse, retryAfterSeconds: number, route: string): void {
  send(
    response,
    429,
    { message: "You are being rate limited.", retry_after: retryAfterSeconds, global: false },
    {
      "retry-after": String(retryAfterSeconds),
      "x-ratelimit-limit": "5",
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": String(Date.now() / 1000 + retryAfterSeconds),
      "x-ratelimit-reset-after": String(retryAfterSeconds),
      "x-ratelimit-bucket": Buffer.from(route).toString("hex").slice(0, 32),
      "x-ratelimit-scope": "user",
    },
  );
}

/** Answers one HTTP request to the double's REST API and logs it. */
export async function handleRestRequest(
  state: DoubleState,
  request: IncomingMessage,
  response: ServerResponse,
  gatewayUrl: string,
): Promise<void> {
  const at = Date.now();
  const method = request.method ?? "GET";
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  const prefix = "/api/v10/";
  const apiPath = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length - 1) : url.pathname;
  const segments = apiPath.split("/").slice(1).map(decodeURIComponent);
  const path = `/${segments.join("/")}`;
  const match = url.pathname.startsWith(prefix) ? matchRoute(method, segments) : null;
  const record: RequestRecord = {
    at,
    method,
    path,
    route: match ? `${method} ${match.route.path}` : null,
    status: 0,
  };
  state.requests.push(record);
  // 404 and 429 answers leave the body unread; Node discards it once the response ends.
  if (!match) {
    record.status = 404;
    state.recordError({
      kind: "unknown-route",
      request: `${method} ${url.pathname}`,
      code: 0,
      message: `the double has no route ${method} ${url.pathname}`,
    });
    send(response, 404, { message: "404: Not Found", code: 0 });
    return;
  }
  const awaitingRetry = state.rateLimits.find(
    ({ record: limit, matches }) => limit.limitedAt !== null && limit.retriedAt === null && matches(record),
  );
  if (awaitingRetry) awaitingRetry.record.retriedAt = at;
  const pending = state.rateLimits.find(
    ({ record: limit, matches }) => limit.limitedAt === null && matches(record),
  );
  if (pending) {
    pending.record.limitedAt = at;
    pending.record.limitedRequest = `${method} ${path}`;
    record.status = 429;
    sendRateLimit(response, pending.record.retryAfterSeconds, record.route ?? path);
    return;
  }
  try {
    if (match.route.auth && request.headers.authorization !== `Bot ${state.token}`) {
      throw ApiError.unauthorized(`${method} ${path} without the bot token`);
    }
    const result = await match.route.handle({
      state,
      params: match.params,
      query: url.searchParams,
      body: await readRequestBody(request),
      at,
      gatewayUrl,
    });
    record.status = result.status;
    send(response, result.status, result.json);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    record.status = error.status;
    state.recordError({
      kind: "violation",
      request: `${method} ${path}`,
      code: error.body.code,
      message: error.message,
    });
    send(response, error.status, error.body);
  }
}
