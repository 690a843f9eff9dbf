import { setTimeout as sleep } from "node:timers/promises";
import {
  ActionRowBuilder,
  ApplicationCommandOptionType,
  AttachmentBuilder,
  ButtonBuilder,
  ButtonStyle,
  type ChatInputCommandInteraction,
  type Client,
  DiscordAPIError,
  DiscordjsErrorCodes,
  EmbedBuilder,
  Events,
  type Interaction,
  InteractionResponseType,
  MessageFlags,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loginClient } from "../support/loginClient.ts";
import { DiscordDouble, type InteractionHandle } from "./DiscordDouble.ts";

const commands: RESTPostAPIChatInputApplicationCommandsJSONBody[] = [
  {
    name: "echo",
    description: "Repeats the text",
    options: [
      {
        name: "text",
        description: "What to repeat",
        type: ApplicationCommandOptionType.String,
        required: true,
      },
      { name: "times", description: "How often", type: ApplicationCommandOptionType.Integer, min_value: 1 },
    ],
  },
  { name: "think", description: "Defers, then edits, then follows up ephemerally" },
  { name: "quiz", description: "Asks a question with buttons" },
  { name: "late", description: "Answers after 3.2 seconds" },
  { name: "twice", description: "Replies twice" },
  { name: "ramble", description: "Replies with 2001 characters, then apologises" },
  { name: "report", description: "Replies with an embed and a file" },
  { name: "announce", description: "Posts in the channel, then edits the post" },
  {
    name: "greet",
    description: "Greets someone",
    options: [
      { name: "who", description: "Whom to greet", type: ApplicationCommandOptionType.User, required: true },
    ],
  },
  {
    name: "purge",
    description: "Only for members who can manage messages",
    default_member_permissions: PermissionFlagsBits.ManageMessages.toString(),
  },
  {
    name: "topic",
    description: "Picks a topic",
    options: [
      { name: "name", description: "Topic", type: ApplicationCommandOptionType.String, autocomplete: true },
    ],
  },
];

const reportBytes = Buffer.from("token,count\nthe,3\n");

/** The bot under test, written inline: one behaviour per command, each one Discord feature. */
async function handle(interaction: Interaction): Promise<void> {
  if (interaction.isAutocomplete()) {
    const typed = interaction.options.getFocused();
    const topics = ["tokens", "tokenizers", "temperature", "attention"];
    await interaction.respond(topics.filter((t) => t.startsWith(typed)).map((t) => ({ name: t, value: t })));
    return;
  }
  if (interaction.isButton()) {
    if (interaction.customId === "quiz:b") {
      await interaction.update({ content: `Correct, ${interaction.user.username}!`, components: [] });
    } else {
      await interaction.reply({ content: "Try again.", flags: MessageFlags.Ephemeral });
    }
    return;
  }
  if (!interaction.isChatInputCommand()) return;
  await commandHandlers[interaction.commandName]?.(interaction);
}

const commandHandlers: Record<string, (interaction: ChatInputCommandInteraction) => Promise<void>> = {
  echo: async (interaction) => {
    const text = interaction.options.getString("text", true);
    const times = interaction.options.getInteger("times") ?? 1;
    const response = await interaction.reply({
      content: Array(times).fill(text).join(" "),
      allowedMentions: { parse: [] },
      withResponse: true,
    });
    if (response.resource?.message?.content !== Array(times).fill(text).join(" ")) {
      throw new Error("the callback response did not carry the created message");
    }
  },
  purge: async (interaction) => {
    const can = interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages) ?? false;
    await interaction.reply({ content: `manage messages: ${can}`, flags: MessageFlags.Ephemeral });
  },
  think: async (interaction) => {
    await interaction.deferReply();
    await interaction.editReply("Thought about it.");
    await interaction.followUp({ content: "Only you see this.", flags: MessageFlags.Ephemeral });
  },
  quiz: async (interaction) => {
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId("quiz:a").setLabel("A").setStyle(ButtonStyle.Secondary),
      new ButtonBuilder().setCustomId("quiz:b").setLabel("B").setStyle(ButtonStyle.Secondary),
    );
    await interaction.reply({ content: "What splits text into tokens?", components: [row] });
  },
  late: async (interaction) => {
    await sleep(3200);
    await interaction.reply("Sorry for the wait.");
  },
  twice: async (interaction) => {
    await interaction.reply("Once.");
    await interaction.reply("Twice.");
  },
  ramble: async (interaction) => {
    try {
      await interaction.reply("x".repeat(2001));
    } catch (error) {
      await interaction.reply("That answer was too long to send.");
      throw error;
    }
  },
  report: async (interaction) => {
    const embed = new EmbedBuilder().setTitle("Token counts").setDescription("See the attached CSV.");
    const file = new AttachmentBuilder(reportBytes, { name: "counts.csv" });
    await interaction.reply({ embeds: [embed], files: [file] });
  },
  announce: async (interaction) => {
    await interaction.reply({ content: "Posting.", flags: MessageFlags.Ephemeral });
    if (!interaction.channel?.isSendable()) throw new Error("channel not cached");
    const post = await interaction.channel.send("Lesson 1 starts now.");
    await post.edit("Lesson 1 has started.");
  },
  greet: async (interaction) => {
    const who = interaction.options.getUser("who", true);
    await interaction.reply({
      content: `Welcome, <@${who.id}>! @everyone`,
      allowedMentions: { users: [who.id] },
    });
  },
};

let double: DiscordDouble;
let client: Client<true>;
/** What each handler ended with (`null` = fine), by interaction id. */
const outcomes = new Map<string, unknown>();
const outcomeWaiters = new Map<string, (outcome: unknown) => void>();

function attachBot(target: Client<true>): void {
  target.on(Events.InteractionCreate, (interaction) => {
    handle(interaction).then(
      () => settle(interaction.id, null),
      (error: unknown) => settle(interaction.id, error),
    );
  });
}

function settle(id: string, outcome: unknown): void {
  const waiter = outcomeWaiters.get(id);
  if (waiter) waiter(outcome);
  else outcomes.set(id, outcome);
}

/** Resolves with the error the bot's handler threw for `interaction`, or `null`. */
function handlerOutcome(interaction: InteractionHandle): Promise<unknown> {
  if (outcomes.has(interaction.id)) return Promise.resolve(outcomes.get(interaction.id));
  return new Promise((resolve) => outcomeWaiters.set(interaction.id, resolve));
}

beforeAll(async () => {
  double = await DiscordDouble.start();
  client = await loginClient(double);
  attachBot(client);
  await client.application.commands.set(commands, double.guild);
});

afterEach(() => {
  double.assertNoErrors();
});

afterAll(async () => {
  await client?.destroy();
  await double?.close();
});

describe("DiscordDouble with a real discord.js client", () => {
  it("GIVEN a client logging in THEN it is ready with the guild, its channel and the commands", () => {
    expect(client.user.id).toBe(double.applicationId);
    expect(client.guilds.cache.get(double.guild)?.channels.cache.has(double.channel)).toBe(true);
    expect(double.gatewaySessions).toHaveLength(1);
    expect(double.commands.guild.map((command) => command.name)).toContain("echo");
    expect(double.requestCount("PUT /applications/:application/guilds/:guild/commands")).toBe(1);
  });

  it("GIVEN /echo with typed options THEN the reply arrives as the interaction's original message", async () => {
    const interaction = double.slash(double.user("alice"), "echo", { text: "hi", times: 2 });

    const reply = await interaction.waitForReply();

    expect(await handlerOutcome(interaction)).toBeNull();
    expect(reply.content).toBe("hi hi");
    expect(reply.source).toBe("reply");
    expect(interaction.acknowledgement?.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(reply.current.author.id).toBe(double.applicationId);
  });

  it("GIVEN a deferred reply THEN the edit replaces 'is thinking' and the ephemeral follow-up is private", async () => {
    const alice = double.user("alice");
    const interaction = double.slash(alice, "think");

    await handlerOutcome(interaction);

    const original = interaction.original;
    expect(original?.revisions.map((revision) => [revision.message.content, revision.message.flags])).toEqual(
      [
        ["", MessageFlags.Loading],
        ["Thought about it.", 0],
      ],
    );
    const [followUp] = interaction.followUps;
    expect(followUp?.ephemeral).toBe(true);
    expect(followUp?.isVisibleTo(alice.id)).toBe(true);
    expect(followUp?.isVisibleTo(double.user("bob").id)).toBe(false);
  });

  it("GIVEN a follow-up is the bot's last message THEN waitForReply finds it without waiting for another change", async () => {
    const interaction = double.slash(double.user("alice"), "think");

    const followUp = await interaction.waitForReply((message) => message.ephemeral, 2000);

    expect(followUp.content).toBe("Only you see this.");
  });

  it("GIVEN a question with buttons WHEN the right one is clicked THEN update edits that message", async () => {
    const alice = double.user("alice");
    const question = await double.slash(alice, "quiz").waitForReply();

    const click = double.click(alice, question, "quiz:b");
    const updated = await click.waitForReply();

    expect(updated.id).toBe(question.id);
    expect(updated.content).toBe("Correct, alice!");
    expect(updated.components).toEqual([]);
    expect(updated.edits).toHaveLength(1);
    expect(click.acknowledgement?.type).toBe(InteractionResponseType.UpdateMessage);
  });

  it("GIVEN a handler that answers after 3.2 s THEN Discord's 10062 rejects it and the violation is recorded", async () => {
    const interaction = double.slash(double.user("alice"), "late");

    await expect(interaction.acknowledged()).rejects.toThrow(/not acknowledged within 3000 ms/);
    const outcome = await handlerOutcome(interaction);

    expect(outcome).toBeInstanceOf(DiscordAPIError);
    expect((outcome as DiscordAPIError).code).toBe(10062);
    expect(double.takeErrors().map((error) => error.code)).toEqual([10062, 10062]);
  });

  it("GIVEN an interaction acknowledged once THEN a second callback gets 40060", async () => {
    const interaction = double.slash(double.user("alice"), "twice");

    const outcome = await handlerOutcome(interaction);
    expect(outcome).toMatchObject({ code: DiscordjsErrorCodes.InteractionAlreadyReplied });
    const second = await fetch(
      `${double.apiUrl}/v10/interactions/${interaction.id}/${interaction.token}/callback`,
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          type: InteractionResponseType.ChannelMessageWithSource,
          data: { content: "Twice." },
        }),
      },
    );

    expect(second.status).toBe(400);
    expect(await second.json()).toEqual({
      message: "Interaction has already been acknowledged.",
      code: 40060,
    });
    expect(double.takeErrors()).toMatchObject([{ kind: "violation", code: 40060 }]);
  });

  it("GIVEN 2001 characters of content THEN the reply is rejected with 50035 Invalid Form Body", async () => {
    const interaction = double.slash(double.user("alice"), "ramble");

    const outcome = await handlerOutcome(interaction);

    expect(outcome).toBeInstanceOf(DiscordAPIError);
    expect((outcome as DiscordAPIError).code).toBe(50035);
    expect((outcome as DiscordAPIError).rawError).toMatchObject({
      errors: { data: { content: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH" }] } } },
    });
    // The rejected callback did not count as the acknowledgement: the apology could still be sent.
    expect(interaction.original?.content).toBe("That answer was too long to send.");
    expect(double.takeErrors()).toMatchObject([{ kind: "violation", code: 50035 }]);
  });

  it("GIVEN a 429 with Retry-After on the edit THEN discord.js waits it out and the retry succeeds", async () => {
    const limit = double.rateLimitNext("PATCH /webhooks/:application/:token/messages/@original", 0.3);
    const interaction = double.slash(double.user("alice"), "think");

    expect(await handlerOutcome(interaction)).toBeNull();

    expect(limit.limitedAt).not.toBeNull();
    expect((limit.retriedAt ?? 0) - (limit.limitedAt ?? 0)).toBeGreaterThanOrEqual(300);
    expect(interaction.original?.content).toBe("Thought about it.");
  });

  it("GIVEN a request to a route Discord's double does not know THEN it gets 404 and is recorded", async () => {
    const response = await fetch(`${double.apiUrl}/v10/guilds/${double.guild}/roles`, {
      headers: { authorization: `Bot ${double.token}` },
    });

    expect(response.status).toBe(404);
    expect(double.takeErrors()).toMatchObject([{ kind: "unknown-route" }]);
  });

  it("GIVEN a reply with allowed_mentions THEN it is recorded as sent and only allowed users are pinged", async () => {
    const bob = double.user("bob");
    const reply = await double.slash(double.user("alice"), "greet", { who: bob }).waitForReply();

    expect(reply.allowedMentions).toEqual({ users: [bob.id] });
    expect(reply.current.mentions.map((user) => user.id)).toEqual([bob.id]);
    expect(reply.current.mention_everyone).toBe(false);
  });

  it("GIVEN a reply with an embed and a file THEN the embed and the file's bytes are stored", async () => {
    const reply = await double.slash(double.user("alice"), "report").waitForReply();

    expect(reply.embeds[0]?.title).toBe("Token counts");
    expect(reply.attachments).toMatchObject([{ filename: "counts.csv" }]);
    expect(reply.attachments[0]?.bytes.equals(reportBytes)).toBe(true);
  });

  it("GIVEN the bot posts and edits a channel message THEN both versions are stored under the bot", async () => {
    const interaction = double.slash(double.user("alice"), "announce");

    expect(await handlerOutcome(interaction)).toBeNull();

    const post = await double.waitFor((message) => message.source === "channel");
    expect(post.revisions.map((revision) => revision.message.content)).toEqual([
      "Lesson 1 starts now.",
      "Lesson 1 has started.",
    ]);
    expect(post.current.author.id).toBe(double.applicationId);
    expect(interaction.original?.ephemeral).toBe(true);
  });

  it("GIVEN an autocomplete on a prefix THEN the bot's matching choices come back", async () => {
    const choices = await double.autocomplete(double.user("alice"), "topic", "name", "tok");

    expect(choices.map((choice) => choice.value)).toEqual(["tokens", "tokenizers"]);
  });

  it("GIVEN a restarted bot WHEN an old message's button is clicked THEN the new client handles it", async () => {
    const alice = double.user("alice");
    const question = await double.slash(alice, "quiz").waitForReply();
    await client.destroy();
    client = await loginClient(double);
    attachBot(client);

    const updated = await double.click(alice, question, "quiz:b").waitForReply();

    expect(updated.content).toBe("Correct, alice!");
    expect(double.gatewaySessions).toHaveLength(2);
    expect(double.gatewaySessions[0]?.closeCode).toBe(1000);
  });

  it("GIVEN a command with default member permissions THEN only members granted them can run it, and the interaction carries them", async () => {
    const carol = double.user("carol");
    expect(() => double.slash(carol, "purge")).toThrow(/lacks the permissions \/purge requires/);
    double.grant(carol, PermissionFlagsBits.ManageMessages);
    const reply = await double.slash(carol, "purge").waitForReply();
    expect(reply.content).toBe("manage messages: true");
  });

  it("GIVEN the channel is deleted THEN the client hears CHANNEL_DELETE for it", async () => {
    const deleted = new Promise<string>((resolve) =>
      client.once(Events.ChannelDelete, (channel) => resolve(channel.id)),
    );
    double.deleteChannel();
    expect(await deleted).toBe(double.channel);
  });

  it("GIVEN a dropped gateway connection THEN the client resumes and keeps receiving interactions", async () => {
    const sessionId = double.gatewaySessions.at(-1)?.sessionId;
    double.dropGatewayConnections();
    await expect.poll(() => double.gatewaySessions.at(-1)?.resumes, { timeout: 5000 }).toBe(1);

    const reply = await double.slash(double.user("alice"), "echo", { text: "still here" }).waitForReply();

    expect(reply.content).toBe("still here");
    expect(double.gatewaySessions.at(-1)?.sessionId).toBe(sessionId);
  });
});
