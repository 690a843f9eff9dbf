import { InteractionContextType, SlashCommandBuilder } from "discord.js";
import { renderProgressWithCard } from "../src/progress/renderProgress.ts";
import { answers, defineCommand } from "./command.ts";

export const command = defineCommand({
  data: new SlashCommandBuilder()
    .setName("progress")
    .setDescription("Lessons read, quiz accuracy, streak and reviews due.")
    .setContexts(InteractionContextType.Guild)
    .addUserOption((option) =>
      option.setName("member").setDescription("Whose progress to show; yours when empty."),
    )
    .toJSON(),
  uses: ["progress", "logger"],
  answer: answers.privateSlow,

  async execute(services, invocation) {
    const member = invocation.options.getUser("member") ?? invocation.actor;
    const summary = services.progress.summarize({ guildId: invocation.guildId, userId: member.id });
    const view = await renderProgressWithCard(summary, member.displayName, (error) =>
      services.logger.warn({ err: error }, "progress card could not be drawn"),
    );
    await invocation.reply.send(view);
  },
});
