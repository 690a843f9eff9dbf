import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  Client,
  Events,
  GatewayIntentBits,
  type GuildMember,
  type Interaction,
  Routes,
  type User,
} from "discord.js";
import type { Dispatcher } from "../interactions/Dispatcher.ts";
import type { Logger } from "../logger.ts";
import type { Actor, ChannelMessages, CommandOptions } from "../ui/interaction.ts";
import { DiscordReply } from "./DiscordReply.ts";
import { toDiscordMessage } from "./toDiscordMessage.ts";

/** Acknowledge on the handler's behalf if it has not answered this long after the interaction arrived. */
const autoDeferAfterMs = 2000;

export interface DiscordBotOptions {
  token: string;
  /** REST base URL, e.g. `https://discord.com/api`; the gateway URL is read from `GET /gateway/bot`. */
  apiUrl: string;
  dispatcher: Dispatcher;
  logger: Logger;
}

export interface DiscordBot {
  client: Client;
  /** Edits the bot's own messages with its token (no interaction token needed). */
  channelMessages: ChannelMessages;
  /** Stops taking interactions, lets running ones finish (bounded), and disconnects. */
  stop(): Promise<void>;
}

function actorOf(user: User, member: unknown): Actor {
  const displayName =
    member && typeof member === "object" && "displayName" in member
      ? String((member as GuildMember).displayName)
      : (user.globalName ?? user.username);
  return { id: user.id, displayName };
}

function optionsOf(interaction: ChatInputCommandInteraction): CommandOptions {
  const options = interaction.options;
  return {
    getString: (name) => options.getString(name),
    getInteger: (name) => options.getInteger(name),
    getNumber: (name) => options.getNumber(name),
    getBoolean: (name) => options.getBoolean(name),
    getUser: (name) => {
      const user = options.getUser(name);
      return user ? actorOf(user, options.getMember(name)) : null;
    },
  };
}

/** Who, where and when: the part of an invocation every kind of interaction shares. */
function invocationBase(
  interaction: ChatInputCommandInteraction | ButtonInteraction | AutocompleteInteraction,
) {
  return {
    actor: actorOf(interaction.user, interaction.member),
    guildId: interaction.guildId ?? `dm-${interaction.user.id}`,
    channelId: interaction.channelId,
    receivedAt: interaction.createdAt,
  };
}

/** Defers if the handler has not acknowledged in time, so slow work never loses the interaction. */
function guardAcknowledgement(reply: DiscordReply, ephemeral: boolean, logger: Logger): () => void {
  const timer = setTimeout(() => {
    if (!reply.acknowledged) {
      reply
        .defer({ ephemeral })
        .catch((error: unknown) => logger.warn({ err: error }, "automatic defer failed"));
    }
  }, autoDeferAfterMs);
  return () => clearTimeout(timer);
}

async function onCommand(
  interaction: ChatInputCommandInteraction,
  options: DiscordBotOptions,
): Promise<void> {
  const reply = new DiscordReply(interaction);
  const release = guardAcknowledgement(reply, true, options.logger);
  try {
    await options.dispatcher.runCommand({
      commandName: interaction.commandName,
      options: optionsOf(interaction),
      ...invocationBase(interaction),
      reply,
    });
  } finally {
    release();
  }
}

async function onButton(interaction: ButtonInteraction, options: DiscordBotOptions): Promise<void> {
  const reply = new DiscordReply(interaction);
  const release = guardAcknowledgement(reply, false, options.logger);
  try {
    await options.dispatcher.runButton({
      customId: interaction.customId,
      messageId: interaction.message.id,
      ...invocationBase(interaction),
      reply,
    });
  } finally {
    release();
  }
}

async function onAutocomplete(
  interaction: AutocompleteInteraction,
  options: DiscordBotOptions,
): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const choices = await options.dispatcher.autocomplete(
    interaction.commandName,
    { name: focused.name, value: String(focused.value) },
    invocationBase(interaction),
  );
  await interaction.respond(choices);
}

/** Connects to Discord (or anything that speaks its API at `apiUrl`) and serves interactions. */
export async function startDiscordBot(options: DiscordBotOptions): Promise<DiscordBot> {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: options.apiUrl },
    allowedMentions: { parse: [], repliedUser: false },
  });
  const { logger } = options;

  client.on(Events.InteractionCreate, (interaction: Interaction) => {
    let work: Promise<void> | undefined;
    if (interaction.isChatInputCommand()) work = onCommand(interaction, options);
    else if (interaction.isButton()) work = onButton(interaction, options);
    else if (interaction.isAutocomplete()) work = onAutocomplete(interaction, options);
    work?.catch((error: unknown) =>
      logger.error({ err: error, interactionId: interaction.id }, "could not answer an interaction"),
    );
  });
  client.on(Events.Error, (error) => logger.error({ err: error }, "discord client error"));
  client.on(Events.Warn, (message) => logger.warn(message));

  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(options.token);
  await ready;
  logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, "connected to Discord");

  const channelMessages: ChannelMessages = {
    async edit(channelId, messageId, view) {
      const { content, embeds, components } = toDiscordMessage(view);
      await client.rest.patch(Routes.channelMessage(channelId, messageId), {
        body: { content, embeds, components, allowed_mentions: { parse: [] } },
      });
    },
  };

  return {
    client,
    channelMessages,
    async stop() {
      await options.dispatcher.close();
      await client.destroy();
    },
  };
}
