import { InteractionContextType, SlashCommandBuilder } from "discord.js";
import { renderProgressWithCard } from "../src/progress/renderProgress.ts";
import type { Services } from "../src/services.ts";
import type { CommandInvocation } from "../src/ui/interaction.ts";
import type { SlashCommand } from "./command.ts";

export const command: SlashCommand = {
  data: new SlashCommandBuilder()
    .setName("progress")
    .setDescription("Lessons read, quiz accuracy, streak and reviews due.")
    .setContexts(InteractionContextType.Guild)
    .addUserOption((option) =>
      option.setName("member").setDescription("Whose progress to show; yours when empty."),
    )
    .toJSON(),

  async execute(services: Pick<Services, "progress" | "logger">, invocation: CommandInvocation) {
    // Drawing the card takes CPU time; acknowledge first so a burst of requests never misses
    // Discord's 3-second window.
    await invocation.reply.defer({ ephemeral: true });
    const member = invocation.options.getUser("member") ?? invocation.actor;
    const summary = services.progress.summarize({ guildId: invocation.guildId, userId: member.id });
    const view = await renderProgressWithCard(summary, member.displayName, (error) =>
      services.logger.warn({ err: error }, "progress card could not be drawn"),
    );
    await invocation.reply.send(view);
  },
};
