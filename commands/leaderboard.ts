import { InteractionContextType, SlashCommandBuilder } from "discord.js";
import { parseLeaderboardPeriod } from "../src/progress/leaderboardPeriod.ts";
import { renderLeaderboard } from "../src/progress/renderLeaderboard.ts";
import { answers, defineCommand } from "./command.ts";

export const command = defineCommand({
  data: new SlashCommandBuilder()
    .setName("leaderboard")
    .setDescription("Who earned the most points in this server.")
    .setContexts(InteractionContextType.Guild)
    .addStringOption((option) =>
      option
        .setName("period")
        .setDescription("The last 7 days (default) or all time.")
        .addChoices({ name: "Last 7 days", value: "week" }, { name: "All time", value: "all" }),
    )
    .toJSON(),
  uses: ["leaderboard"],
  answer: answers.publicQuick,

  async execute(services, invocation) {
    const period = parseLeaderboardPeriod(invocation.options.getString("period"));
    const board = services.leaderboard.rank(invocation.guildId, invocation.actor.id, period);
    await invocation.reply.send(renderLeaderboard(board, invocation.actor.id));
  },
});
