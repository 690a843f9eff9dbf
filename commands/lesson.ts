import { InteractionContextType, SlashCommandBuilder } from "discord.js";
import { memberKeyOf } from "../src/db/MemberKey.ts";
import { UserError } from "../src/errors.ts";
import { suggestLessons } from "../src/lessons/findLesson.ts";
import {
  lessonButtonPrefix,
  lessonButtons,
  parseLessonButton,
  tryItButtons,
} from "../src/lessons/lessonButtons.ts";
import { renderLessonList, renderLessonPage } from "../src/lessons/renderLesson.ts";
import { runLessonDemo } from "../src/lessons/runLessonDemo.ts";
import { renderQuizQuestion } from "../src/quiz/renderQuiz.ts";
import { answers, defineButton, defineCommand } from "./command.ts";

export const command = defineCommand({
  data: new SlashCommandBuilder()
    .setName("lesson")
    .setDescription("Read a lesson on how language models work, or list them all.")
    .setContexts(InteractionContextType.Guild)
    .addStringOption((option) =>
      option
        .setName("name")
        .setDescription("The lesson to open; leave empty to see every lesson and your progress.")
        .setAutocomplete(true)
        .setMaxLength(100),
    )
    .toJSON(),
  uses: ["lessons", "quiz", "content"],
  answer: answers.privateQuick,

  async execute(services, invocation) {
    const member = memberKeyOf(invocation);
    const name = invocation.options.getString("name");
    const view = name
      ? renderLessonPage(await services.lessons.open(member, name), invocation.actor.id)
      : renderLessonList(services.lessons.overview(member), invocation.actor.id);
    await invocation.reply.send(view);
  },

  async autocomplete(services, focused) {
    return suggestLessons(services.content, focused.value).map((lesson) => ({
      name: lesson.label,
      value: lesson.id,
    }));
  },

  buttons: {
    [tryItButtons.prefix]: defineButton({
      uses: ["content", "compare", "nextToken", "tokenizer"],
      // A demo is public: the whole channel sees the models at work. /compare answers at once
      // with its streaming message; /nexttoken and /template draw first.
      answer: (customId) =>
        ["compare", "tokenize"].includes(tryItButtons.decode(customId)?.action ?? "")
          ? answers.publicQuick
          : answers.publicSlow,
      async press(services, invocation) {
        const button = tryItButtons.decode(invocation.customId);
        const demo = button && services.content.getLesson(button.lessonId)?.demos[button.index];
        if (!demo)
          throw new UserError("This lesson no longer has that demo. Open the lesson again with /lesson.");
        await runLessonDemo(services, invocation, demo);
      },
    }),
    [lessonButtonPrefix]: {
      // Quiz opens a new private message below the lesson; the other buttons turn its pages.
      answer: (customId) =>
        lessonButtons.decode(customId)?.action === "quiz" ? answers.privateQuick : answers.updateQuick,
      async press(services, invocation) {
        const button = parseLessonButton(invocation.customId, invocation.actor.id);
        const member = memberKeyOf(invocation);
        switch (button.action) {
          case "page":
            await invocation.reply.update(
              renderLessonPage(
                await services.lessons.turnTo(member, button.lessonId, button.index),
                button.ownerId,
              ),
            );
            return;
          case "done":
            await invocation.reply.update(
              renderLessonPage(await services.lessons.complete(member, button.lessonId), button.ownerId),
            );
            return;
          case "quiz":
            // A new message, so the lesson stays open above the quiz.
            await invocation.reply.send(
              renderQuizQuestion(await services.quiz.start(member, { lesson: button.lessonId })),
            );
            return;
        }
      },
    },
  },
});
