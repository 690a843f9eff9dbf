import { InteractionContextType, SlashCommandBuilder } from "discord.js";
import type { CompareInput } from "../src/compare/CompareService.ts";
import { compareButtons } from "../src/compare/compareButtons.ts";
import { UserError } from "../src/errors.ts";
import { samplingLimits } from "../src/llm/samplingLimits.ts";
import { suggestPairs } from "../src/pairs/suggestPairs.ts";
import type { ButtonInvocation, CommandInvocation } from "../src/ui/interaction.ts";
import { DEFAULT_VOTE_SECONDS, MAX_VOTE_SECONDS, MIN_VOTE_SECONDS } from "../src/votes/blindVote.ts";
import { voteButtons } from "../src/votes/voteButtons.ts";
import { answers, type Deps, defineCommand, pairOption } from "./command.ts";

type CompareDeps = Deps<"compare">;

/** Runs a comparison into a new public message. */
function runComparison(
  services: CompareDeps,
  invocation: ButtonInvocation | CommandInvocation,
  input: CompareInput,
): Promise<void> {
  return services.compare.compare(input, invocation.receivedAt, (view) => invocation.reply.post(view));
}

async function pressCompareButton(services: CompareDeps, invocation: ButtonInvocation): Promise<void> {
  const button = compareButtons.decode(invocation.customId);
  if (!button) throw new UserError("This button is out of date. Run /compare again.");
  switch (button.action) {
    case "prompts":
      await invocation.reply.send(services.compare.showPrompts(button.runId));
      return;
    case "stop":
      // The stream shows the result; the runtime acknowledges the click.
      services.compare.stop(button.runId, invocation.actor.id);
      return;
    case "reroll": {
      const { guildId, channelId, actor } = invocation;
      const input = services.compare.rerollInput(button.runId, guildId, channelId, actor.id);
      await runComparison(services, invocation, input);
      return;
    }
  }
}

async function pressVoteButton(services: CompareDeps, invocation: ButtonInvocation): Promise<void> {
  const button = voteButtons.decode(invocation.customId);
  if (button?.action === "pick" && (button.letter === "A" || button.letter === "B")) {
    const { view, note } = await services.compare.vote(button.runId, invocation.actor.id, button.letter);
    await invocation.reply.update(view);
    await invocation.reply.send({ embeds: [{ description: note, color: "neutral" }], ephemeral: true });
    return;
  }
  if (button?.action === "reveal") {
    await invocation.reply.update(await services.compare.reveal(button.runId, invocation.actor.id));
    return;
  }
  throw new UserError("This button is out of date. Start a new vote with /compare blind:true.");
}

export const command = defineCommand({
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
    .addStringOption(pairOption)
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
  uses: ["compare", "catalogue"],
  // Public from the start: the run streams into this message for the whole room.
  answer: answers.publicQuick,

  async execute(services, invocation) {
    const options = invocation.options;
    const mode = options.getString("mode");
    await runComparison(services, invocation, {
      guildId: invocation.guildId,
      channelId: invocation.channelId,
      userId: invocation.actor.id,
      prompt: options.getString("prompt") ?? "",
      pair: options.getString("pair") ?? undefined,
      mode: mode === "three-way" ? "three-way" : "side-by-side",
      temperature: options.getNumber("temperature") ?? undefined,
      maxTokens: options.getInteger("max_tokens") ?? undefined,
      seed: options.getInteger("seed") ?? undefined,
      blind: options.getBoolean("blind") ?? false,
      voteSeconds: options.getInteger("seconds") ?? undefined,
    });
  },

  async autocomplete(services, focused) {
    return suggestPairs(services.catalogue, focused.value);
  },

  buttons: {
    [compareButtons.prefix]: {
      answer: (customId) =>
        compareButtons.decode(customId)?.action === "prompts"
          ? answers.privateQuick
          : compareButtons.decode(customId)?.action === "reroll"
            ? answers.publicQuick
            : answers.updateQuick,
      press: pressCompareButton,
    },
    [voteButtons.prefix]: { answer: answers.updateQuick, press: pressVoteButton },
  },
});
