import { InteractionContextType, SlashCommandBuilder } from "discord.js";
import { UserError } from "../src/errors.ts";
import { MAX_PROMPT_CHARS, MAX_TEMPERATURE } from "../src/nexttoken/NextTokenService.ts";
import { DEFAULT_TOP_K, MAX_TOP_K } from "../src/nexttoken/nextTokenDistribution.ts";
import type { Services } from "../src/services.ts";
import type { ButtonInvocation, CommandInvocation } from "../src/ui/interaction.ts";
import type { SlashCommand } from "./command.ts";

type NextTokenServices = Pick<Services, "nextToken">;

async function pressNextTokenButton(
  services: NextTokenServices,
  invocation: ButtonInvocation,
): Promise<void> {
  const [, action, walkId = ""] = invocation.customId.split(":");
  switch (action) {
    case "next": {
      const view = await services.nextToken.next(walkId, invocation.actor.id, () => invocation.reply.defer());
      await invocation.reply.update(view);
      return;
    }
    case "done":
      await invocation.reply.update(await services.nextToken.done(walkId, invocation.actor.id));
      return;
    default:
      throw new UserError("This button is out of date. Run /nexttoken again.");
  }
}

export const command: SlashCommand = {
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

  async execute(services: NextTokenServices, invocation: CommandInvocation) {
    const options = invocation.options;
    const view = await services.nextToken.start(
      {
        userId: invocation.actor.id,
        userName: invocation.actor.displayName,
        prompt: options.getString("prompt") ?? "",
        top: options.getInteger("top") ?? undefined,
        temperature: options.getNumber("temperature") ?? undefined,
      },
      () => invocation.reply.defer(),
    );
    await invocation.reply.send(view);
  },

  buttons: {
    nexttoken: pressNextTokenButton,
  },
};
