import { InteractionContextType, SlashCommandBuilder } from "discord.js";
import { renderTemplate } from "../src/compare/renderTemplate.ts";
import { suggestPairs } from "../src/pairs/suggestPairs.ts";
import { answers, defineCommand, pairOption } from "./command.ts";

export const command = defineCommand({
  data: new SlashCommandBuilder()
    .setName("template")
    .setDescription(
      "See how the instruct model's chat template wraps a conversation (the base model has none).",
    )
    .setContexts(InteractionContextType.Guild)
    .addStringOption((option) =>
      option
        .setName("message")
        .setDescription("Your own message to wrap; a short sample chat otherwise.")
        .setMaxLength(1000),
    )
    .addStringOption(pairOption)
    .toJSON(),
  uses: ["compare", "catalogue"],
  answer: answers.publicSlow,

  async execute(services, invocation) {
    const description = await services.compare.describeTemplate(
      invocation.options.getString("message") ?? undefined,
      invocation.options.getString("pair") ?? undefined,
    );
    await invocation.reply.send(renderTemplate(description));
  },

  async autocomplete(services, focused) {
    return suggestPairs(services.catalogue, focused.value);
  },
});
