import { ComponentType } from "discord.js";
import type { ContentLibrary, Question } from "../../src/lessons/content.ts";
import type { StoredMessage } from "../discord/DiscordDouble.ts";
import { walkComponents } from "../discord/validateMessage.ts";

/** Which buttons of a question on screen are right and wrong, as a member who studied would know. */
export interface AnswerKey {
  question: Question;
  /** Custom id of the button of the right choice. */
  right: string;
  /** Custom id of a button of a wrong choice. */
  wrong: string;
}

/** Every enabled button on a message, in display order. */
export function buttonsOf(message: StoredMessage): { label: string; customId: string }[] {
  return [...walkComponents(message.components)].flatMap(({ component }) =>
    component.type === ComponentType.Button &&
    typeof component.custom_id === "string" &&
    typeof component.label === "string" &&
    component.disabled !== true
      ? [{ label: component.label, customId: component.custom_id }]
      : [],
  );
}

/** The custom id of the enabled button labelled `label`; throws, listing the labels, when absent. */
export function buttonLabelled(message: StoredMessage, label: string | RegExp): string {
  const buttons = buttonsOf(message);
  const found = buttons.find((button) =>
    typeof label === "string" ? button.label === label : label.test(button.label),
  );
  if (!found) {
    throw new Error(
      `no button ${String(label)} on the message; it has ${buttons.map((b) => b.label).join(", ")}`,
    );
  }
  return found.customId;
}

/**
 * Reads a question the way a member sees it (an embed with the prompt and lettered choices, one
 * lettered button per choice, as quizzes and reviews show it) and looks up in the lessons which
 * button is right and which is wrong.
 */
export function answerKey(message: StoredMessage, content: ContentLibrary): AnswerKey {
  const lettered = buttonsOf(message).filter((button) => /^[A-E]$/.test(button.label));
  // After a review answer, the next card is the last embed; the graded one comes first.
  for (const embed of [...message.embeds].reverse()) {
    const description = embed.description ?? "";
    const question = content
      .allQuestions()
      .find((candidate) => description.startsWith(`${candidate.prompt}\n\n`));
    if (!question || lettered.length !== question.choices.length) continue;
    const shown = `${description.slice(question.prompt.length)}\n`;
    const picks = lettered.map((button) => ({
      button,
      choice: question.choices.find((choice) => shown.includes(`**${button.label}.** ${choice.text}\n`)),
    }));
    const right = picks.find((pick) => pick.choice?.correct === true);
    const wrong = picks.find((pick) => pick.choice !== undefined && !pick.choice.correct);
    if (right && wrong && picks.every((pick) => pick.choice !== undefined)) {
      return { question, right: right.button.customId, wrong: wrong.button.customId };
    }
  }
  throw new Error(`no question with lettered answer buttons on the message:\n${message.text}`);
}
