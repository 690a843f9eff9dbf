import type { Choice, Question } from "../lessons/content.ts";
import { truncate } from "../text/truncate.ts";
import type { View, ViewButton } from "../ui/view.ts";
import type { QuizAnswerStep, QuizQuestionStep, QuizSummaryStep } from "./QuizService.ts";
import { quizButtonId } from "./quizButtons.ts";

/** Labels of choices by display position; content allows at most five choices. */
export const choiceLetters = ["A", "B", "C", "D", "E"] as const;

export function choiceLetter(position: number): string {
  return choiceLetters[position] ?? String(position + 1);
}

/** A question with its lettered choices, as used by quizzes and reviews. */
export function describeQuestion(question: Question, choices: readonly Choice[]): string {
  const lines = choices.map((choice, position) => `**${choiceLetter(position)}.** ${choice.text}`);
  return `${question.prompt}\n\n${lines.join("\n")}`;
}

function quizTitle(step: { index: number; total: number; lessonTitle: string | undefined }): string {
  return `Question ${step.index + 1} of ${step.total} · ${step.lessonTitle ?? "Mixed quiz"}`;
}

/** A question waiting for an answer, with one button per choice. */
export function renderQuizQuestion(step: QuizQuestionStep): View {
  const answerButtons: ViewButton[] = step.choices.map((_, position) => ({
    id: quizButtonId({ action: "answer", runId: step.runId, questionIndex: step.index, position }),
    label: choiceLetter(position),
    style: "primary",
  }));
  return {
    ...(step.shortfall && {
      content: `Only ${step.shortfall.available} questions are available, so this quiz has ${step.shortfall.available} instead of ${step.shortfall.requested}.`,
    }),
    embeds: [
      {
        title: quizTitle(step),
        description: describeQuestion(step.question, step.choices),
        footer: "Pick the letter of your answer.",
        color: "brand",
      },
    ],
    buttons: [answerButtons],
    ephemeral: true,
  };
}

/** The graded answer with explanations, and the way on (Next, or Finish after the last question). */
export function renderQuizAnswer(step: QuizAnswerStep): View {
  const chosen = step.choices[step.chosenPosition];
  const right = step.choices[step.correctPosition];
  const lines = [step.question.prompt, ""];
  if (chosen) {
    lines.push(`You chose **${choiceLetter(step.chosenPosition)}. ${chosen.text}**`, chosen.explanation);
  }
  if (!step.correct && right) {
    lines.push(
      "",
      `The answer is **${choiceLetter(step.correctPosition)}. ${right.text}**`,
      right.explanation,
    );
  }
  const answered = step.index + 1;
  return {
    ...(step.duplicate && {
      content: "You already answered this one — your first answer is the one that counts.",
    }),
    embeds: [
      {
        title: `${step.correct ? "✅ Correct" : "❌ Not quite"} — ${quizTitle(step)}`,
        description: lines.join("\n"),
        footer: `Score so far: ${step.correctCount} of ${answered}`,
        color: step.correct ? "success" : "danger",
      },
    ],
    buttons: [
      [
        step.isLast
          ? { id: quizButtonId({ action: "finish", runId: step.runId }), label: "Finish", style: "success" }
          : { id: quizButtonId({ action: "next", runId: step.runId }), label: "Next", style: "primary" },
      ],
    ],
    ephemeral: true,
  };
}

/** Score, accuracy and the questions missed. */
export function renderQuizSummary(step: QuizSummaryStep): View {
  const percent = step.total === 0 ? 0 : Math.round((step.correctCount / step.total) * 100);
  const fields =
    step.missed.length === 0
      ? []
      : [
          {
            name: `Missed (${step.missed.length})`,
            value: truncate(step.missed.map((question) => `• ${question.prompt}`).join("\n"), 1024),
          },
        ];
  const closing =
    step.missed.length === 0
      ? "A perfect score! These questions will still come back in /review now and then, to keep them fresh."
      : "The ones you missed are now in /review, which will bring them back until they stick.";
  return {
    embeds: [
      {
        title: `Quiz finished · ${step.lessonTitle ?? "Mixed quiz"}`,
        description: `You got **${step.correctCount} of ${step.total}** right (${percent}% accuracy).\n\n${closing}`,
        fields,
        footer: "Start another with /quiz.",
        color: step.missed.length === 0 ? "success" : "brand",
      },
    ],
    ephemeral: true,
  };
}

/** The current question of a resumed run, or its summary. */
export function renderQuizStep(step: QuizQuestionStep | QuizSummaryStep): View {
  return step.kind === "question" ? renderQuizQuestion(step) : renderQuizSummary(step);
}
