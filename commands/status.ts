import { InteractionContextType, PermissionFlagsBits, SlashCommandBuilder } from "discord.js";
import { renderPairStatus } from "../src/status/renderPairStatus.ts";
import { answers, defineCommand } from "./command.ts";

export const command = defineCommand({
  data: new SlashCommandBuilder()
    .setName("status")
    .setDescription("Where each model pair runs, its state, speed and queue (for server managers).")
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .toJSON(),
  uses: ["status"],
  answer: answers.privateQuick,

  async execute(services, invocation) {
    await invocation.reply.send(renderPairStatus(await services.status.report()));
  },
});
