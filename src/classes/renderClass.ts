import {
  classDurationText,
  classSummaryAltText,
  renderClassSummaryCard,
} from "../charts/classSummaryCard.ts";
import { choiceLetter } from "../quiz/renderQuiz.ts";
import { truncate } from "../text/truncate.ts";
import { joinRichText, member, moment } from "../ui/richText.ts";
import type { RichText, View, ViewButton } from "../ui/view.ts";
import type {
  AnswerOutcome,
  ClassHistory,
  ClassQuestion,
  ClassScoreboard,
  ClassStage,
  ClassSummary,
  EndReason,
  RoundReveal,
  RoundSkip,
  Standing,
} from "./ClassService.ts";
import { classButtonId } from "./classButtons.ts";

/** How many places the scoreboards show. */
export const scoreboardPlaces = 10;

const barWidth = 12;

/** The public stage message: the lesson page, who hosts, who joined, and the host's controls. */
export function renderStage(stage: ClassStage): View {
  const { record, lesson } = stage;
  const snippet = lesson.snippets[record.snippetIndex] ?? lesson.snippets[0];
  const last = lesson.snippets.length - 1;
  const id = record.id;
  const controls: ViewButton[][] = [
    [
      {
        id: classButtonId({ action: "prev", classId: id }),
        label: "◀ Previous",
        style: "secondary",
        disabled: record.snippetIndex <= 0,
      },
      {
        id: classButtonId({ action: "next", classId: id }),
        label: "Next ▶",
        style: "secondary",
        disabled: record.snippetIndex >= last,
      },
      { id: classButtonId({ action: "demo", classId: id }), label: "Demo", style: "secondary" },
    ],
    [
      {
        id: classButtonId({ action: "question", classId: id }),
        label: "Question",
        style: "primary",
        // One question at a time: it comes back at the reveal.
        disabled: stage.open !== undefined || stage.asked >= record.questionCount,
      },
      { id: classButtonId({ action: "scores", classId: id }), label: "Scoreboard", style: "secondary" },
      { id: classButtonId({ action: "end", classId: id }), label: "End class", style: "danger" },
    ],
  ];
  return {
    ...(stage.shortfall && {
      content: `“${lesson.title}” has ${stage.shortfall.available} questions, so this class asks ${stage.shortfall.available} instead of ${stage.shortfall.requested}.`,
    }),
    embeds: [
      {
        title: truncate(`Class · ${lesson.title}`, 256),
        description: snippet ? `**${snippet.title}**\n\n${snippet.body}` : lesson.summary,
        fields: [
          { name: "Host", value: [member(record.hostId, record.hostName)], inline: true },
          { name: "Joined", value: String(stage.joined), inline: true },
          {
            name: "Questions",
            value: stage.open
              ? joinRichText(`Question ${stage.open.number} of ${record.questionCount} is open · closes `, [
                  moment(stage.open.closesAt),
                ])
              : `${stage.asked} of ${record.questionCount}${stage.skipped ? ` (${stage.skipped} skipped)` : ""} · ${record.questionSeconds} s each`,
            inline: true,
          },
        ],
        footer: `Page ${record.snippetIndex + 1} of ${lesson.snippets.length}. Only the host can press these buttons; everyone answers the questions.`,
        color: "brand",
      },
    ],
    buttons: controls,
  };
}

/** An old stage message once the host posted the stage again further down. */
export function renderMovedStage(lessonTitle: string): View {
  return {
    embeds: [
      {
        title: truncate(`Class · ${lessonTitle}`, 256),
        description: "The stage moved further down the channel: the host posted it again there.",
        color: "neutral",
      },
    ],
    buttons: [],
  };
}

function questionTitle(question: { number: number; total: number; lessonTitle: string }): string {
  return truncate(`Question ${question.number} of ${question.total} · ${question.lessonTitle}`, 256);
}

function choiceLines(question: ClassQuestion): string {
  return question.order
    .map(
      (index, position) => `**${choiceLetter(position)}.** ${question.question.choices[index]?.text ?? ""}`,
    )
    .join("\n");
}

/** An open question: one button per choice for everyone, the deadline and the answered count. */
export function renderQuestion(question: ClassQuestion): View {
  const answerButtons: ViewButton[] = question.order.map((_, position) => ({
    id: classButtonId({ action: "answer", classId: question.classId, round: question.number, position }),
    label: choiceLetter(position),
    style: "primary",
  }));
  return {
    embeds: [
      {
        title: questionTitle(question),
        description: joinRichText(
          `${question.question.prompt}\n\n${choiceLines(question)}\n\nCloses `,
          [moment(question.closesAt)],
          ". Your first click counts; faster right answers earn more points.",
        ),
        fields: [{ name: "Answered", value: String(question.answered), inline: true }],
        color: "brand",
      },
    ],
    buttons: [
      answerButtons,
      [
        {
          id: classButtonId({ action: "reveal", classId: question.classId, round: question.number }),
          label: "Reveal now (host)",
          style: "secondary",
        },
        {
          id: classButtonId({ action: "skip", classId: question.classId, round: question.number }),
          label: "Skip (host)",
          style: "secondary",
        },
      ],
    ],
  };
}

/** The same question with a newer answered count (edited at most once every two seconds). */
export const renderAnswerCount = renderQuestion;

function bar(share: number): string {
  const filled = Math.round(share * barWidth);
  return `${"█".repeat(filled)}${"░".repeat(barWidth - filled)}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * The host's next step under a reveal, so a host in a busy channel need not scroll back to the
 * stage: the next question (or, after the last, the end) and the scoreboard. They act on the
 * class as the stage's buttons do; anyone else pressing them gets the stage's polite note.
 */
function revealControls(reveal: { classId: string; number: number; total: number }): ViewButton[] {
  const scores: ViewButton = {
    id: classButtonId({ action: "scores", classId: reveal.classId }),
    label: "Scoreboard (host)",
    style: "secondary",
  };
  if (reveal.number >= reveal.total)
    return [
      scores,
      {
        id: classButtonId({ action: "end", classId: reveal.classId }),
        label: "End class (host)",
        style: "danger",
      },
    ];
  return [
    {
      id: classButtonId({ action: "question", classId: reveal.classId }),
      label: "Next question (host)",
      style: "primary",
    },
    scores,
  ];
}

/**
 * The reveal: the right answer, how many chose each choice, why, and the fastest right answers.
 * The choice buttons are gone; the host's controls take their place unless the class is ending.
 */
export function renderReveal(reveal: RoundReveal, options: { hostControls?: boolean } = {}): View {
  const lines = reveal.order.map((index, position) => {
    const count = reveal.counts[position] ?? 0;
    const share = reveal.answered > 0 ? count / reveal.answered : 0;
    const mark = position === reveal.correctPosition ? "✅" : "▫️";
    return `${mark} **${choiceLetter(position)}.** ${reveal.question.choices[index]?.text ?? ""}\n\`${bar(share)}\` ${count} (${Math.round(share * 100)}%)`;
  });
  const right = reveal.question.choices[reveal.order[reveal.correctPosition] ?? -1];
  const fastest: RichText =
    reveal.fastest.length > 0
      ? joinRichText(
          ...reveal.fastest.flatMap((answer, index) => [
            `${index > 0 ? "\n" : ""}${index + 1}. `,
            [member(answer.userId, answer.name)],
            ` · ${seconds(answer.elapsedMs)} · +${answer.points}`,
          ]),
        )
      : "Nobody this time.";
  return {
    embeds: [
      {
        title: questionTitle(reveal),
        description: truncate(
          `${reveal.question.prompt}\n\n${lines.join("\n")}\n\n**Why ${choiceLetter(reveal.correctPosition)}:** ${right?.explanation ?? ""}`,
          4000,
        ),
        fields: [
          { name: "Right", value: `${reveal.right} of ${reveal.answered}`, inline: true },
          { name: "Fastest right answers", value: fastest, inline: true },
        ],
        color: "success",
      },
    ],
    buttons: options.hostControls === false ? [] : [revealControls(reveal)],
  };
}

/**
 * A question the host skipped: it says so, the choice buttons are gone, and the host's next step
 * takes their place as after a reveal.
 */
export function renderSkipped(skip: RoundSkip): View {
  const prompt = skip.prompt ? `~~${skip.prompt}~~\n\n` : "";
  return {
    embeds: [
      {
        title: questionTitle(skip),
        description: truncate(
          `${prompt}⏭️ Skipped by the host. This question does not count: no points, no review card, and it is left out of the class's totals.`,
          4000,
        ),
        color: "neutral",
      },
    ],
    buttons: [revealControls(skip)],
  };
}

function standingLines(standings: readonly Standing[]): RichText {
  if (standings.length === 0) return "No points yet: nobody has answered a revealed question.";
  return joinRichText(
    ...standings
      .slice(0, scoreboardPlaces)
      .flatMap((standing, index) => [
        `${index > 0 ? "\n" : ""}**${standing.rank}.** `,
        [member(standing.userId, standing.name)],
        ` · ${standing.points} pts · ${standing.right}/${standing.answered} right`,
      ]),
  );
}

/** The scoreboard as it stands, posted for the room. */
export function renderScoreboard(board: ClassScoreboard): View {
  return {
    embeds: [
      {
        title: truncate(`Scoreboard · ${board.lessonTitle}`, 256),
        description: standingLines(board.standings),
        footer: `After ${board.questions} question${board.questions === 1 ? "" : "s"}. Top ${scoreboardPlaces} shown.`,
        color: "brand",
      },
    ],
  };
}

/** How a class ended, as a sentence under its final messages. */
const endSentences: Record<EndReason, string> = {
  host: "The host ended this class.",
  admin: "A server manager ended this class.",
  idle: "This class ended itself after a long idle time.",
  "channel-deleted": "This class ended because its channel was deleted.",
};

const endReasons: Record<EndReason, string> = {
  host: "ended by the host",
  admin: "ended by a server manager",
  idle: "ended itself after a long idle time",
  "channel-deleted": "ended: its channel was deleted",
};

/** The class summary as text: participants, questions, accuracy, the hardest question, the podium. */
export function describeSummary(summary: ClassSummary): string {
  const lines = [
    `**${summary.participants}** participant${summary.participants === 1 ? "" : "s"} · **${summary.questions}** question${summary.questions === 1 ? "" : "s"} · ${classDurationText(summary.startedAt, summary.endedAt)} · hosted by ${summary.hostName}`,
    `Accuracy: ${summary.accuracy === null ? "no answers" : `${Math.round(summary.accuracy * 100)}%`}`,
  ];
  if (summary.hardest)
    lines.push(
      `Hardest question (${Math.round(summary.hardest.accuracy * 100)}% right): ${truncate(summary.hardest.prompt, 200)}`,
    );
  const medals = ["🥇", "🥈", "🥉"];
  const podium = podiumOf(summary).map(
    (standing, index) => `${medals[index]} ${standing.name} (${standing.points})`,
  );
  if (podium.length > 0) lines.push(`Podium: ${podium.join("  ")}`);
  return lines.join("\n");
}

/** The top three who scored; nobody stands on the podium with no points. */
function podiumOf(summary: ClassSummary): Standing[] {
  return summary.standings.filter((standing) => standing.points > 0).slice(0, 3);
}

function rankButton(classId: string): ViewButton {
  return { id: classButtonId({ action: "rank", classId }), label: "My rank", style: "secondary" };
}

/** The final message: top 10, the summary, and a button to see one's own rank. */
export function renderFinal(summary: ClassSummary): View {
  return {
    embeds: [
      {
        title: truncate(`Class over · ${summary.lessonTitle}`, 256),
        description: describeSummary(summary),
        fields: [
          { name: `Final scoreboard (top ${scoreboardPlaces})`, value: standingLines(summary.standings) },
        ],
        footer: `${endSentences[summary.endReason]} Points went to /leaderboard; missed questions come back in /review.`,
        color: "success",
      },
    ],
    buttons: [[rankButton(summary.classId)]],
  };
}

/**
 * The final message with the summary card attached as a PNG, as `/progress` attaches its card.
 * Falls back to the text alone if the picture cannot be drawn.
 */
export async function renderFinalWithCard(
  summary: ClassSummary,
  onCardError: (error: unknown) => void,
): Promise<View> {
  const view = renderFinal(summary);
  const card = {
    lessonTitle: summary.lessonTitle,
    hostName: summary.hostName,
    startedAt: summary.startedAt,
    endedAt: summary.endedAt,
    participants: summary.participants,
    questions: summary.questions,
    accuracy: summary.accuracy,
    hardest: summary.hardest,
    podium: podiumOf(summary).map((standing) => ({ name: standing.name, points: standing.points })),
  };
  try {
    const png = await renderClassSummaryCard(card);
    const fileName = "class-summary.png";
    const [embed, ...rest] = view.embeds ?? [];
    return {
      ...view,
      embeds: embed ? [{ ...embed, imageFile: fileName }, ...rest] : [],
      files: [{ name: fileName, data: png, description: classSummaryAltText(card) }],
    };
  } catch (error) {
    onCardError(error);
    return view;
  }
}

/** The stage message once the class has ended: no more host controls. */
export function renderEndedStage(summary: ClassSummary): View {
  return {
    embeds: [
      {
        title: truncate(`Class ended · ${summary.lessonTitle}`, 256),
        description: describeSummary(summary),
        footer: endSentences[summary.endReason],
        color: "neutral",
      },
    ],
    buttons: [[rankButton(summary.classId)]],
  };
}

/** What a member who clicked an answer is told, only to them. */
export function renderAnswerOutcome(outcome: AnswerOutcome): View {
  const text =
    outcome.kind === "locked"
      ? `🔒 Locked in: **${choiceLetter(outcome.position)}**. The answer shows when the question closes.`
      : outcome.kind === "repeat"
        ? `You already answered **${choiceLetter(outcome.position)}**; your first click is the one that counts.`
        : outcome.kind === "skipped"
          ? "The host skipped this question, so it does not count. Wait for the next one."
          : "This question has closed, so that click was not counted.";
  return { content: text, ephemeral: true };
}

/** A member's own place, only to them. */
export function renderMyRank(result: { standing: Standing | undefined; of: number }): View {
  const { standing, of } = result;
  return {
    content: standing
      ? `You placed **${standing.rank}** of ${of} with ${standing.points} points (${standing.right}/${standing.answered} right).`
      : "You have no points in this class: you did not answer a revealed question.",
    ephemeral: true,
  };
}

/** A past class's start as plain text, the same for everyone: `2026-03-02 18:00 UTC`. */
function classDate(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function percent(share: number | null): string {
  return share === null ? "no answers" : `${Math.round(share * 100)}% right`;
}

/**
 * `/class history`, only to the member who asked: the server's recent classes with their figures,
 * and a menu to re-open one's final scoreboard and summary card.
 */
export function renderClassHistory(history: ClassHistory): View {
  const of = history.lessonTitle ? ` of “${history.lessonTitle}”` : "";
  if (history.classes.length === 0)
    return { content: `No class${of} has ended in this server yet.`, ephemeral: true };
  const entries = history.classes.map((summary, index) => {
    const lines = [
      `**${index + 1}. ${truncate(summary.lessonTitle, 80)}** · ${classDate(summary.startedAt)} · hosted by ${truncate(summary.hostName, 40)}`,
      `${summary.participants} participant${summary.participants === 1 ? "" : "s"} · ${summary.questions} question${summary.questions === 1 ? "" : "s"} · ${percent(summary.accuracy)} · ${endReasons[summary.endReason]}`,
    ];
    if (summary.hardest)
      lines.push(
        `Hardest (${Math.round(summary.hardest.accuracy * 100)}% right): ${truncate(summary.hardest.prompt, 90)}`,
      );
    return lines.join("\n");
  });
  return {
    embeds: [
      {
        title: truncate(`Past classes${of}`, 256),
        description: entries.join("\n\n"),
        footer: `The last ${history.classes.length} ended here, newest first. Pick one below to see its final scoreboard and summary card.`,
        color: "brand",
      },
    ],
    selects: [
      {
        id: classButtonId({ action: "past" }),
        placeholder: "Re-open a past class's summary",
        options: history.classes.map((summary, index) => ({
          label: truncate(`${index + 1}. ${summary.lessonTitle}`, 100),
          value: summary.classId,
          description: truncate(
            `${classDate(summary.startedAt)} · ${summary.participants} participants · ${percent(summary.accuracy)}`,
            100,
          ),
        })),
      },
    ],
    ephemeral: true,
  };
}

/** A past class re-opened from `/class history`, only to the member who asked: as it ended. */
export async function renderPastClass(
  summary: ClassSummary,
  onCardError: (error: unknown) => void,
): Promise<View> {
  const view = await renderFinalWithCard(summary, onCardError);
  return { ...view, ephemeral: true };
}
