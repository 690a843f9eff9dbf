import {
  InteractionContextType,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type SlashCommandStringOption,
} from "discord.js";
import { type ClassActor, classLimits } from "../src/classes/ClassService.ts";
import { classButtons, parseClassButton } from "../src/classes/classButtons.ts";
import {
  renderAnswerOutcome,
  renderClassHistory,
  renderFinalWithCard,
  renderMyRank,
  renderPastClass,
  renderQuestion,
  renderReveal,
  renderScoreboard,
  renderSkipped,
  renderStage,
} from "../src/classes/renderClass.ts";
import { UserError } from "../src/errors.ts";
import { suggestLessons } from "../src/lessons/findLesson.ts";
import { runLessonDemo } from "../src/lessons/runLessonDemo.ts";
import type { Invocation } from "../src/ui/interaction.ts";
import { member } from "../src/ui/richText.ts";
import { answers, type Deps, defineButton, defineCommand } from "./command.ts";

function classActorOf(invocation: Invocation): ClassActor {
  return {
    guildId: invocation.guildId,
    channelId: invocation.channelId,
    actor: invocation.actor,
    canManageServer: invocation.canManageServer,
  };
}

/** The `lesson` option of `/class start` and `/class history`, autocompleted. */
function lessonOption(option: SlashCommandStringOption, description: string): SlashCommandStringOption {
  return option.setName("lesson").setDescription(description).setAutocomplete(true).setMaxLength(100);
}

/** Logs a summary card that could not be drawn; the text summary is sent without it. */
function cardErrorLogger(services: Deps<"logger">): (error: unknown) => void {
  return (error) => services.logger.warn({ err: error }, "could not draw a class summary card");
}

export const command = defineCommand({
  data: new SlashCommandBuilder()
    .setName("class")
    .setDescription("Run a live class in this channel: a lesson, model demos, questions for the room.")
    .setContexts(InteractionContextType.Guild)
    // Admins choose who may run classes in Server Settings → Integrations.
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageMessages)
    .addSubcommand((subcommand) =>
      subcommand
        .setName("start")
        .setDescription("Start a class in this channel; you host it.")
        .addStringOption((option) => lessonOption(option, "The lesson to teach.").setRequired(true))
        .addIntegerOption((option) =>
          option
            .setName("question_seconds")
            .setDescription(
              `How long each question stays open (default ${classLimits.questionSeconds.default}).`,
            )
            .setMinValue(classLimits.questionSeconds.min)
            .setMaxValue(classLimits.questionSeconds.max),
        )
        .addIntegerOption((option) =>
          option
            .setName("questions")
            .setDescription("How many questions to ask (default: all of the lesson's).")
            .setMinValue(classLimits.questions.min)
            .setMaxValue(classLimits.questions.max),
        ),
    )
    .addSubcommand((subcommand) =>
      subcommand
        .setName("host")
        .setDescription("Hand the class in this channel over to another member.")
        .addUserOption((option) =>
          option.setName("member").setDescription("Who hosts from now on.").setRequired(true),
        ),
    )
    .addSubcommand((subcommand) =>
      subcommand
        .setName("end")
        .setDescription("End the class in this channel and post the final scoreboard."),
    )
    .addSubcommand((subcommand) =>
      subcommand.setName("stage").setDescription("Post the class stage again at the bottom of this channel."),
    )
    .addSubcommand((subcommand) =>
      subcommand
        .setName("history")
        .setDescription("Past classes of this server, only to you; re-open one's summary.")
        .addStringOption((option) => lessonOption(option, "Only classes of this lesson.")),
    )
    .toJSON(),
  uses: ["classes", "content", "logger"],
  // The room sees a class start, hand over, end or move; the host's history is theirs alone.
  answer: (subcommand) => (subcommand === "history" ? answers.privateQuick : answers.publicQuick),

  async execute(services, invocation) {
    const where = classActorOf(invocation);
    switch (invocation.options.getSubcommand()) {
      case "start": {
        const stage = await services.classes.start(where, {
          lesson: invocation.options.getString("lesson") ?? "",
          questionSeconds: invocation.options.getInteger("question_seconds"),
          questions: invocation.options.getInteger("questions"),
        });
        const address = await invocation.reply.post(renderStage(stage));
        await services.classes.attachStage(stage.record.id, address.messageId);
        return;
      }
      case "host": {
        const next = invocation.options.getUser("member");
        if (!next) throw new UserError("Pick the member who should host.");
        await services.classes.handOver(where, next);
        await invocation.reply.send({
          content: ["The class is now hosted by ", member(next.id, next.displayName), "."],
        });
        return;
      }
      case "end":
        await invocation.reply.send(
          await renderFinalWithCard(await services.classes.endInChannel(where), cardErrorLogger(services)),
        );
        return;
      case "stage": {
        const stage = await services.classes.restage(where);
        const address = await invocation.reply.post(renderStage(stage));
        await services.classes.moveStage(stage.record.id, address.messageId);
        return;
      }
      case "history":
        await invocation.reply.send(
          renderClassHistory(
            services.classes.history(invocation.guildId, { lesson: invocation.options.getString("lesson") }),
          ),
        );
        return;
      default:
        throw new UserError("Use /class start, /class host, /class end, /class stage or /class history.");
    }
  },

  async autocomplete(services, focused) {
    return suggestLessons(services.content, focused.value).map((lesson) => ({
      name: lesson.label,
      value: lesson.id,
    }));
  },

  buttons: {
    [classButtons.prefix]: defineButton({
      uses: ["classes", "compare", "nextToken", "tokenizer", "logger"],
      answer: (customId) => {
        switch (classButtons.decode(customId)?.action) {
          case "prev":
          case "next":
          case "reveal":
          case "skip":
            return answers.updateQuick;
          case "demo":
          case "question":
          case "scores":
          case "end":
            return answers.publicQuick;
          case "past":
            // Draws the summary card.
            return answers.privateSlow;
          default:
            // Answers and ranks are private; a member's click is never shown to the room.
            return answers.privateQuick;
        }
      },
      async press(services, invocation) {
        const button = parseClassButton(invocation.customId);
        const where = classActorOf(invocation);
        const classes = services.classes;
        switch (button.action) {
          case "answer":
            await invocation.reply.send(
              renderAnswerOutcome(await classes.answer(button, where, invocation.receivedAt)),
            );
            return;
          case "prev":
          case "next":
            await invocation.reply.update(
              renderStage(await classes.turnPage(button.classId, where, button.action === "prev" ? -1 : 1)),
            );
            return;
          case "demo":
            await runLessonDemo(services, invocation, await classes.nextDemo(button.classId, where));
            return;
          case "question": {
            const question = await classes.openQuestion(button.classId, where);
            const address = await invocation.reply.post(renderQuestion(question));
            await classes.attachQuestion(button.classId, question.number, address);
            return;
          }
          case "reveal":
            await invocation.reply.update(
              renderReveal(await classes.reveal(button.classId, button.round, where)),
            );
            return;
          case "skip":
            await invocation.reply.update(
              renderSkipped(await classes.skip(button.classId, button.round, where)),
            );
            return;
          case "scores":
            await invocation.reply.send(renderScoreboard(await classes.scoreboard(button.classId, where)));
            return;
          case "end":
            await invocation.reply.send(
              await renderFinalWithCard(await classes.end(button.classId, where), cardErrorLogger(services)),
            );
            return;
          case "rank":
            await invocation.reply.send(renderMyRank(classes.myStanding(button.classId, where)));
            return;
          case "past":
            await invocation.reply.send(
              await renderPastClass(
                classes.pastClass(invocation.values[0] ?? "", invocation.guildId),
                cardErrorLogger(services),
              ),
            );
            return;
        }
      },
    }),
  },
});
