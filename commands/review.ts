import { InteractionContextType, SlashCommandBuilder } from "discord.js";
import { memberKeyOf } from "../src/db/MemberKey.ts";
import { renderReviewAnswer, renderReviewNext } from "../src/review/renderReview.ts";
import { parseReviewButton, reviewButtonPrefix } from "../src/review/reviewButtons.ts";
import type { Services } from "../src/services.ts";
import type { ButtonInvocation, CommandInvocation } from "../src/ui/interaction.ts";
import type { SlashCommand } from "./command.ts";

export const command: SlashCommand = {
  data: new SlashCommandBuilder()
    .setName("review")
    .setDescription("Review questions you answered before, just as you are about to forget them.")
    .setContexts(InteractionContextType.Guild)
    .toJSON(),

  async execute(services: Pick<Services, "review">, invocation: CommandInvocation) {
    await invocation.reply.send(
      renderReviewNext(services.review.next(memberKeyOf(invocation)), invocation.actor.id),
    );
  },

  buttons: {
    [reviewButtonPrefix]: async (services: Pick<Services, "review">, invocation: ButtonInvocation) => {
      const button = parseReviewButton(invocation.customId, invocation.actor.id);
      const step = await services.review.answer(memberKeyOf(invocation), button);
      await invocation.reply.update(renderReviewAnswer(step, invocation.actor.id));
    },
  },
};
