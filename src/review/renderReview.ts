import { choiceLetter, describeQuestion } from "../quiz/renderQuiz.ts";
import type { View, ViewButton, ViewEmbed } from "../ui/view.ts";
import { formatTimeUntil } from "./formatTimeUntil.ts";
import type {
  ReviewAnswerStep,
  ReviewCardStep,
  ReviewCaughtUpStep,
  ReviewNextStep,
} from "./ReviewService.ts";
import { reviewButtonId } from "./reviewButtons.ts";
import { learnAheadMs } from "./scheduleReview.ts";

/** What `/review` shows: the most overdue card, or that nothing is due. `ownerId` answers it. */
export function renderReviewNext(step: ReviewNextStep, ownerId: string): View {
  return {
    embeds: [nextEmbed(step)],
    buttons: step.kind === "card" ? [cardButtons(step, ownerId)] : [],
    ephemeral: true,
  };
}

/** The graded card with its explanation, followed by the next due card. */
export function renderReviewAnswer(step: ReviewAnswerStep, ownerId: string): View {
  const chosen = step.question.choices[step.chosenIndex];
  const right = step.question.choices[step.correctIndex];
  const lines = [step.question.prompt, ""];
  if (chosen) lines.push(`You chose **${chosen.text}**`, chosen.explanation);
  if (!step.correct && right) lines.push("", `The answer is **${right.text}**`, right.explanation);
  return {
    ...(step.duplicate && { content: "You already answered this card — it was counted once." }),
    embeds: [
      {
        title: step.correct ? "✅ Correct" : "❌ Not quite",
        description: lines.join("\n"),
        footer: `This card comes back ${formatTimeUntil(step.dueAgain, step.answeredAt)}.`,
        color: step.correct ? "success" : "danger",
      },
      nextEmbed(step.next),
    ],
    buttons: step.next.kind === "card" ? [cardButtons(step.next, ownerId)] : [],
    ephemeral: true,
  };
}

function nextEmbed(step: ReviewNextStep): ViewEmbed {
  if (step.kind === "caughtUp") return caughtUpEmbed(step);
  const order = step.choiceOrder
    .map((index) => step.question.choices[index])
    .filter((choice) => choice !== undefined);
  return {
    title: "Review",
    description: describeQuestion(step.question, order),
    footer: `${step.dueCount} ${step.dueCount === 1 ? "card" : "cards"} due · from “${step.lessonTitle}”`,
    color: "brand",
  };
}

function caughtUpEmbed(step: ReviewCaughtUpStep): ViewEmbed {
  return {
    title: "All caught up 🎉",
    description: step.nextDue
      ? step.nextDue.getTime() - step.now.getTime() <= learnAheadMs
        ? `Nothing else for now. The card you just missed comes back ${formatTimeUntil(step.nextDue, step.now)}: run /review again then.`
        : `Nothing is due right now. Your next review is due ${formatTimeUntil(step.nextDue, step.now)}.`
      : "Nothing to review yet — answer some /quiz questions and they will show up here.",
    color: "success",
  };
}

function cardButtons(step: ReviewCardStep, ownerId: string): ViewButton[] {
  return step.choiceOrder.map((choiceIndex, position) => ({
    id: reviewButtonId({ ownerId, reps: step.reps, choiceIndex, questionId: step.question.id }),
    label: choiceLetter(position),
    style: "primary",
  }));
}
