import { InteractionContextType, SlashCommandBuilder } from "discord.js";
import { renderTemplate } from "../src/compare/renderTemplate.ts";
import type { Services } from "../src/services.ts";
import type { CommandInvocation } from "../src/ui/interaction.ts";
import type { SlashCommand } from "./command.ts";

export const command: SlashCommand = {
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
    .toJSON(),

  async execute(services: Pick<Services, "compare">, invocation: CommandInvocation) {
    if (!services.compare.modelsSettled) {
      await invocation.reply.defer();
      await services.compare.waitForModels();
    }
    const description = services.compare.describeTemplate(
      invocation.options.getString("message") ?? undefined,
    );
    await invocation.reply.send(renderTemplate(description));
  },
};
