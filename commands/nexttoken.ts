import { InteractionContextType, SlashCommandBuilder } from "discord.js";
import { UserError } from "../src/errors.ts";
import { MAX_PROMPT_CHARS, MAX_TEMPERATURE } from "../src/nexttoken/NextTokenService.ts";
import { nextTokenButtons } from "../src/nexttoken/nextTokenButtons.ts";
import { DEFAULT_TOP_K, MAX_TOP_K } from "../src/nexttoken/nextTokenDistribution.ts";
import { suggestPairs } from "../src/pairs/suggestPairs.ts";
import { answers, defineCommand, pairOption } from "./command.ts";

export const command = defineCommand({
  data: new SlashCommandBuilder()
    .setName("nexttoken")
    .setDescription(
      "See which tokens a base and an instruct model think come next, and step through generation.",
    )
    .setContexts(InteractionContextType.Guild)
    .addStringOption((option) =>
      option
        .setName("prompt")
        .setDescription(
          "The text both models continue (the instruct model reads it inside its chat template).",
        )
        .setRequired(true)
        .setMaxLength(MAX_PROMPT_CHARS),
    )
    .addStringOption(pairOption)
    .addIntegerOption((option) =>
      option
        .setName("top")
        .setDescription(`How many of the most likely tokens to show (default ${DEFAULT_TOP_K}).`)
        .setMinValue(1)
        .setMaxValue(MAX_TOP_K),
    )
    .addNumberOption((option) =>
      option
        .setName("temperature")
        .setDescription("0 (default): Next token adds the most likely token. Higher: it samples one.")
        .setMinValue(0)
        .setMaxValue(MAX_TEMPERATURE),
    )
    .toJSON(),
  uses: ["nextToken", "catalogue"],
  // Evaluating both models and drawing the chart takes a moment: acknowledged first, publicly.
  answer: answers.publicSlow,

  async execute(services, invocation) {
    const options = invocation.options;
    const view = await services.nextToken.start({
      userId: invocation.actor.id,
      userName: invocation.actor.displayName,
      prompt: options.getString("prompt") ?? "",
      pair: options.getString("pair") ?? undefined,
      top: options.getInteger("top") ?? undefined,
      temperature: options.getNumber("temperature") ?? undefined,
    });
    await invocation.reply.send(view);
  },

  async autocomplete(services, focused) {
    return suggestPairs(services.catalogue, focused.value);
  },

  buttons: {
    [nextTokenButtons.prefix]: {
      answer: (customId) =>
        nextTokenButtons.decode(customId)?.action === "done" ? answers.updateQuick : answers.updateSlow,
      async press(services, invocation) {
        const button = nextTokenButtons.decode(invocation.customId);
        if (!button) throw new UserError("This button is out of date. Run /nexttoken again.");
        const view =
          button.action === "done"
            ? await services.nextToken.done(button.walkId, invocation.actor.id)
            : await services.nextToken.next(
                button.walkId,
                invocation.actor.id,
                button.action === "pick"
                  ? { side: button.side, token: invocation.values[0] ?? "" }
                  : undefined,
              );
        await invocation.reply.update(view);
      },
    },
  },
});
