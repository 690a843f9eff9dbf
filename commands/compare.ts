import { InteractionContextType, SlashCommandBuilder } from "discord.js";
import type { CompareInput } from "../src/compare/CompareService.ts";
import { UserError } from "../src/errors.ts";
import { samplingLimits } from "../src/llm/samplingLimits.ts";
import type { Services } from "../src/services.ts";
import type { ButtonInvocation, CommandInvocation } from "../src/ui/interaction.ts";
import { DEFAULT_VOTE_SECONDS, MAX_VOTE_SECONDS, MIN_VOTE_SECONDS } from "../src/votes/blindVote.ts";
import type { SlashCommand } from "./command.ts";

type CompareServices = Pick<Services, "compare" | "content">;

/** Models load in the background at start; a request that arrives first waits for them. */
async function whenModelsSettled(
  services: CompareServices,
  invocation: ButtonInvocation | CommandInvocation,
) {
  if (services.compare.modelsSettled) return;
  await invocation.reply.defer();
  await services.compare.waitForModels();
}

function post(invocation: ButtonInvocation | CommandInvocation) {
  return (view: Parameters<typeof invocation.reply.sendEditable>[0]) => invocation.reply.sendEditable(view);
}

async function pressCompareButton(services: CompareServices, invocation: ButtonInvocation): Promise<void> {
  const [, action, runId = ""] = invocation.customId.split(":");
  switch (action) {
    case "prompts":
      await invocation.reply.send(services.compare.showPrompts(runId));
      return;
    case "stop":
      services.compare.stop(runId, invocation.actor.id);
      await invocation.reply.defer();
      return;
    case "reroll": {
      const input = services.compare.rerollInput(
        runId,
        invocation.guildId,
        invocation.channelId,
        invocation.actor.id,
      );
      await whenModelsSettled(services, invocation);
      await services.compare.compare(input, invocation.receivedAt, post(invocation));
      return;
    }
    default:
      throw new UserError("This button is out of date. Run /compare again.");
  }
}

async function pressVoteButton(services: CompareServices, invocation: ButtonInvocation): Promise<void> {
  const [, action, runId = "", letter] = invocation.customId.split(":");
  if (action === "pick" && (letter === "A" || letter === "B")) {
    const { view, note } = services.compare.vote(runId, invocation.actor.id, letter);
    await invocation.reply.update(view);
    await invocation.reply.send({ embeds: [{ description: note, color: "neutral" }], ephemeral: true });
    return;
  }
  if (action === "reveal") {
    await invocation.reply.update(services.compare.reveal(runId, invocation.actor.id));
    return;
  }
  throw new UserError("This button is out of date. Start a new vote with /compare blind:true.");
}

async function pressTryIt(services: CompareServices, invocation: ButtonInvocation): Promise<void> {
  const lessonId = invocation.customId.split(":")[1] ?? "";
  const prompt = services.content.getLesson(lessonId)?.comparePrompt;
  if (!prompt) throw new UserError("This lesson no longer suggests a prompt. Try /compare with your own.");
  await whenModelsSettled(services, invocation);
  await services.compare.compare(
    { guildId: invocation.guildId, channelId: invocation.channelId, userId: invocation.actor.id, prompt },
    invocation.receivedAt,
    post(invocation),
  );
}

export const command: SlashCommand = {
  data: new SlashCommandBuilder()
    .setName("compare")
    .setDescription("Send one prompt to a base and an instruct model and watch both replies side by side.")
    .setContexts(InteractionContextType.Guild)
    .addStringOption((option) =>
      option
        .setName("prompt")
        .setDescription("The text both models get.")
        .setRequired(true)
        .setMaxLength(4000),
    )
    .addStringOption((option) =>
      option
        .setName("mode")
        .setDescription("side-by-side (default), or three-way: also the instruct model without its template.")
        .addChoices(
          { name: "side-by-side", value: "side-by-side" },
          { name: "three-way", value: "three-way" },
        ),
    )
    .addNumberOption((option) =>
      option
        .setName("temperature")
        .setDescription(
          `0 = always the most likely token; higher = more varied. Default ${samplingLimits.temperature.default}.`,
        )
        .setMinValue(samplingLimits.temperature.min)
        .setMaxValue(samplingLimits.temperature.max),
    )
    .addIntegerOption((option) =>
      option
        .setName("max_tokens")
        .setDescription("Longest reply, in tokens.")
        .setMinValue(1)
        .setMaxValue(samplingLimits.maxTokens.ceiling),
    )
    .addIntegerOption((option) =>
      option
        .setName("seed")
        .setDescription("Same seed and settings give the same replies.")
        .setMinValue(samplingLimits.seed.min)
        .setMaxValue(samplingLimits.seed.max),
    )
    .addBooleanOption((option) =>
      option
        .setName("blind")
        .setDescription("Post as Reply A / Reply B and vote on which is the base model."),
    )
    .addIntegerOption((option) =>
      option
        .setName("seconds")
        .setDescription(`How long the blind vote stays open (default ${DEFAULT_VOTE_SECONDS}).`)
        .setMinValue(MIN_VOTE_SECONDS)
        .setMaxValue(MAX_VOTE_SECONDS),
    )
    .toJSON(),

  async execute(services: CompareServices, invocation: CommandInvocation) {
    const options = invocation.options;
    const mode = options.getString("mode");
    const input: CompareInput = {
      guildId: invocation.guildId,
      channelId: invocation.channelId,
      userId: invocation.actor.id,
      prompt: options.getString("prompt") ?? "",
      mode: mode === "three-way" ? "three-way" : "side-by-side",
      temperature: options.getNumber("temperature") ?? undefined,
      maxTokens: options.getInteger("max_tokens") ?? undefined,
      seed: options.getInteger("seed") ?? undefined,
      blind: options.getBoolean("blind") ?? false,
      voteSeconds: options.getInteger("seconds") ?? undefined,
    };
    if (input.voteSeconds !== undefined && !input.blind) {
      throw new UserError("seconds sets the blind vote's timer; add blind:true to run a vote.");
    }
    await whenModelsSettled(services, invocation);
    await services.compare.compare(input, invocation.receivedAt, post(invocation));
  },

  buttons: {
    compare: pressCompareButton,
    vote: pressVoteButton,
    tryit: pressTryIt,
  },
};
