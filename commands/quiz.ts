import { InteractionContextType, SlashCommandBuilder } from "discord.js";
import { memberKeyOf } from "../src/db/MemberKey.ts";
import { suggestLessons } from "../src/lessons/findLesson.ts";
import { quizLength } from "../src/quiz/QuizService.ts";
import { parseQuizButton, quizButtonPrefix } from "../src/quiz/quizButtons.ts";
import { renderQuizAnswer, renderQuizQuestion, renderQuizStep } from "../src/quiz/renderQuiz.ts";
import { answers, defineCommand } from "./command.ts";

export const command = defineCommand({
  data: new SlashCommandBuilder()
    .setName("quiz")
    .setDescription("Answer multiple-choice questions; the ones you miss come back in /review.")
    .setContexts(InteractionContextType.Guild)
    .addStringOption((option) =>
      option
        .setName("lesson")
        .setDescription("Quiz on one lesson; leave empty to mix questions from every lesson.")
        .setAutocomplete(true)
        .setMaxLength(100),
    )
    .addIntegerOption((option) =>
      option
        .setName("questions")
        .setDescription(`How many questions (default ${quizLength.default}).`)
        .setMinValue(quizLength.min)
        .setMaxValue(quizLength.max),
    )
    .toJSON(),
  uses: ["quiz", "content"],
  answer: answers.privateQuick,

  async execute(services, invocation) {
    const step = await services.quiz.start(memberKeyOf(invocation), {
      lesson: invocation.options.getString("lesson"),
      questions: invocation.options.getInteger("questions"),
    });
    await invocation.reply.send(renderQuizQuestion(step));
  },

  async autocomplete(services, focused) {
    return suggestLessons(services.content, focused.value).map((lesson) => ({
      name: lesson.label,
      value: lesson.id,
    }));
  },

  buttons: {
    [quizButtonPrefix]: {
      answer: answers.updateQuick,
      async press(services, invocation) {
        const button = parseQuizButton(invocation.customId);
        const member = memberKeyOf(invocation);
        const view =
          button.action === "answer"
            ? renderQuizAnswer(await services.quiz.answer(member, button))
            : renderQuizStep(services.quiz.resume(member, button.runId));
        await invocation.reply.update(view);
      },
    },
  },
});
