import { renderProgressCard } from "../charts/progressCard.ts";
import { formatTimeUntil } from "../review/formatTimeUntil.ts";
import type { View } from "../ui/view.ts";
import type { ProgressSummary } from "./ProgressService.ts";

/** A member's progress card. `displayName` is whose progress it is. */
export function renderProgress(summary: ProgressSummary, displayName: string): View {
  const accuracy = summary.accuracy === undefined ? "—" : `${Math.round(summary.accuracy * 100)}%`;
  const due =
    summary.dueReviews > 0
      ? `${summary.dueReviews} — run /review`
      : summary.nextReviewDue
        ? `0 (next ${formatTimeUntil(summary.nextReviewDue, summary.now)})`
        : "0";
  return {
    embeds: [
      {
        title: `Progress · ${displayName}`,
        fields: [
          { name: "Lessons read", value: `${summary.lessonsRead} / ${summary.lessonsTotal}`, inline: true },
          { name: "Quizzes finished", value: String(summary.quizzesFinished), inline: true },
          ...(summary.classesJoined > 0
            ? [{ name: "Classes joined", value: String(summary.classesJoined), inline: true }]
            : []),
          { name: "Questions answered", value: String(summary.questionsAnswered), inline: true },
          { name: "Accuracy", value: accuracy, inline: true },
          { name: "Reviews done", value: String(summary.reviewsDone), inline: true },
          { name: "Reviews due", value: due, inline: true },
          {
            name: "Streak",
            value: `${days(summary.streak.current)} (longest ${days(summary.streak.longest)})`,
            inline: true,
          },
          { name: "Points", value: String(summary.points), inline: true },
          ...(summary.tracks.length > 1
            ? [
                {
                  name: "Tracks",
                  value: summary.tracks
                    .map(
                      (track) =>
                        `${track.read === track.total ? "✓" : "·"} ${track.title}: ${track.read} / ${track.total}`,
                    )
                    .join("\n"),
                },
              ]
            : []),
        ],
        footer: "Streaks count UTC days with a lesson, quiz answer or review.",
        color: "brand",
      },
    ],
    ephemeral: true,
  };
}

function days(count: number): string {
  return `${count} ${count === 1 ? "day" : "days"}`;
}

/**
 * The progress card as a picture (PNG) above the same facts as text, which screen readers and
 * the playground use. Falls back to text alone if the picture cannot be drawn.
 */
export async function renderProgressWithCard(
  summary: ProgressSummary,
  displayName: string,
  onChartError: (error: unknown) => void,
): Promise<View> {
  const view = renderProgress(summary, displayName);
  try {
    const card = await renderProgressCard({
      displayName,
      lessonsRead: summary.lessonsRead,
      lessonsTotal: summary.lessonsTotal,
      quizzesTaken: summary.quizzesFinished,
      answersCorrect: summary.correctAnswers,
      answersTotal: summary.questionsAnswered,
      history: summary.history,
      currentStreak: summary.streak.current,
      longestStreak: summary.streak.longest,
      dueReviews: summary.dueReviews,
    });
    const fileName = "progress.png";
    const [embed, ...rest] = view.embeds ?? [];
    return {
      ...view,
      embeds: embed ? [{ ...embed, imageFile: fileName }, ...rest] : [],
      files: [{ name: fileName, data: card.png, description: card.altText }],
    };
  } catch (error) {
    onChartError(error);
    return view;
  }
}
