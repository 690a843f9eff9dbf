import { InteractionContextType, SlashCommandBuilder } from "discord.js";
import { memberKeyOf } from "../src/db/MemberKey.ts";
import { renderReviewAnswer, renderReviewNext } from "../src/review/renderReview.ts";
import { parseReviewButton, reviewButtonPrefix } from "../src/review/reviewButtons.ts";
import { answers, defineCommand } from "./command.ts";

export const command = defineCommand({
  data: new SlashCommandBuilder()
    .setName("review")
    .setDescription("Review questions you answered before, just as you are about to forget them.")
    .setContexts(InteractionContextType.Guild)
    .toJSON(),
  uses: ["review"],
  answer: answers.privateQuick,

  async execute(services, invocation) {
    await invocation.reply.send(
      renderReviewNext(services.review.next(memberKeyOf(invocation)), invocation.actor.id),
    );
  },

  buttons: {
    [reviewButtonPrefix]: {
      answer: answers.updateQuick,
      async press(services, invocation) {
        const button = parseReviewButton(invocation.customId, invocation.actor.id);
        const step = await services.review.answer(memberKeyOf(invocation), button);
        await invocation.reply.update(renderReviewAnswer(step, invocation.actor.id));
      },
    },
  },
});
