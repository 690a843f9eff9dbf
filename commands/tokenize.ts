import { InteractionContextType, SlashCommandBuilder } from "discord.js";
import { renderTokenize } from "../src/tokenize/renderTokenize.ts";
import { MAX_TOKENIZE_CHARS } from "../src/tokenize/TokenizeService.ts";
import { answers, defineCommand } from "./command.ts";

export const command = defineCommand({
  data: new SlashCommandBuilder()
    .setName("tokenize")
    .setDescription("See how each model's tokenizer cuts a text into tokens, with ids and counts.")
    .setContexts(InteractionContextType.Guild)
    .addStringOption((option) =>
      option
        .setName("text")
        .setDescription('The text to split, e.g. "strawberry" or "12345 + 678".')
        .setRequired(true)
        .setMaxLength(MAX_TOKENIZE_CHARS),
    )
    .toJSON(),
  uses: ["tokenizer"],
  // Shared with the room, like the other model demos; it answers at once once models are loaded.
  answer: answers.publicQuick,

  async execute(services, invocation) {
    const result = await services.tokenizer.tokenize(invocation.options.getString("text") ?? "");
    await invocation.reply.send(renderTokenize(result));
  },
});
