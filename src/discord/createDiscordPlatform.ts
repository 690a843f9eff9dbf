import {
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  Client,
  Events,
  GatewayIntentBits,
  type GuildMember,
  type Interaction,
  type MessageComponentInteraction,
  PermissionFlagsBits,
  type User,
} from "discord.js";
import type { Dispatcher } from "../interactions/Dispatcher.ts";
import type { Logger } from "../logger.ts";
import type { Actor } from "../ui/interaction.ts";
import { DiscordMessageEditor } from "./DiscordMessageEditor.ts";
import { DiscordResponder } from "./DiscordResponder.ts";

export interface DiscordPlatformOptions {
  token: string;
  /** REST base URL, e.g. `https://discord.com/api`; the gateway URL is read from `GET /gateway/bot`. */
  apiUrl: string;
  logger: Logger;
}

/**
 * Discord as the bot's platform. Created before the app (its message editor is injected into the
 * features), connected once the dispatcher exists.
 */
export interface DiscordPlatform {
  client: Client;
  /** Edits the bot's messages: through the interaction while its token lives, then the channel route. */
  editor: DiscordMessageEditor;
  /**
   * Logs in and starts serving interactions through `dispatcher`; `events.channelDeleted` hears
   * of deleted channels and threads (a class running there ends).
   */
  connect(dispatcher: Dispatcher, events?: PlatformEvents): Promise<void>;
  /** Disconnects from the gateway. */
  disconnect(): Promise<void>;
}

/** What happens on Discord besides interactions that the app wants to hear of. */
export interface PlatformEvents {
  channelDeleted?(channelId: string): void;
}

function actorOf(user: User, member: unknown): Actor {
  const displayName =
    member && typeof member === "object" && "displayName" in member
      ? String((member as GuildMember).displayName)
      : (user.globalName ?? user.username);
  return { id: user.id, displayName };
}

/** Who, where and when: the part of an invocation every kind of interaction shares. */
function invocationBase(
  interaction: ChatInputCommandInteraction | MessageComponentInteraction | AutocompleteInteraction,
) {
  return {
    actor: actorOf(interaction.user, interaction.member),
    guildId: interaction.guildId ?? `dm-${interaction.user.id}`,
    channelId: interaction.channelId,
    receivedAt: interaction.createdAt,
    canManageServer: interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false,
  };
}

/** Option values exactly as they arrived (the runtime checks them), and the members they name. */
function rawOptionsOf(interaction: ChatInputCommandInteraction) {
  const options: Record<string, unknown> = {};
  const members: Record<string, Actor> = {};
  const subcommand = interaction.options.getSubcommand(false) ?? undefined;
  // A subcommand arrives as one option holding the options the member filled in.
  const data = subcommand ? (interaction.options.data[0]?.options ?? []) : interaction.options.data;
  for (const option of data) {
    options[option.name] = option.value;
    if (option.user) members[option.user.id] = actorOf(option.user, option.member);
  }
  return { options, members, ...(subcommand ? { subcommand } : {}) };
}

/** Builds the Discord client (not yet connected) and the editor the features will use. */
export function createDiscordPlatform(options: DiscordPlatformOptions): DiscordPlatform {
  const { logger } = options;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: options.apiUrl },
    allowedMentions: { parse: [], repliedUser: false },
  });
  const editor = new DiscordMessageEditor(client);

  const serve = (dispatcher: Dispatcher, interaction: Interaction): Promise<void> | undefined => {
    if (interaction.isChatInputCommand()) {
      return dispatcher.runCommand({
        commandName: interaction.commandName,
        ...rawOptionsOf(interaction),
        ...invocationBase(interaction),
        responder: new DiscordResponder(interaction, editor),
      });
    }
    if (interaction.isButton() || interaction.isStringSelectMenu()) {
      return dispatcher.runButton({
        customId: interaction.customId,
        values: interaction.isStringSelectMenu() ? interaction.values : [],
        messageId: interaction.message.id,
        ...invocationBase(interaction),
        responder: new DiscordResponder(interaction, editor),
      });
    }
    if (interaction.isAutocomplete()) {
      const focused = interaction.options.getFocused(true);
      return dispatcher
        .autocomplete(
          interaction.commandName,
          { name: focused.name, value: String(focused.value) },
          invocationBase(interaction),
        )
        .then((choices) => interaction.respond(choices));
    }
    return undefined;
  };

  return {
    client,
    editor,
    async connect(dispatcher, events = {}) {
      client.on(Events.ChannelDelete, (channel) => events.channelDeleted?.(channel.id));
      client.on(Events.ThreadDelete, (thread) => events.channelDeleted?.(thread.id));
      client.on(Events.InteractionCreate, (interaction: Interaction) => {
        serve(dispatcher, interaction)?.catch((error: unknown) =>
          logger.error({ err: error, interactionId: interaction.id }, "could not answer an interaction"),
        );
      });
      client.on(Events.Error, (error) => logger.error({ err: error }, "discord client error"));
      client.on(Events.Warn, (message) => logger.warn(message));
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(options.token);
      await ready;
      logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, "connected to Discord");
    },
    async disconnect() {
      await client.destroy();
    },
  };
}
