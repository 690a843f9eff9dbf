import { truncate } from "../text/truncate.ts";
import type { View, ViewButton } from "../ui/view.ts";
import type { LessonListEntry, LessonOverview, LessonPage } from "./LessonProgressService.ts";
import { lessonButtonId, tryItButtons } from "./lessonButtons.ts";

/** Label of the button that runs a lesson's suggested prompt through `/compare`. */
export const TRY_IT_LABEL = "Try it: /compare";

/** The id of a lesson's "Try it" button. */
export function tryItButtonId(lessonId: string): string {
  return tryItButtons.encode({ action: "compare", lessonId });
}

/** Every track with its lessons and the member's status on each. */
export function renderLessonList(overview: LessonOverview): View {
  return {
    embeds: [
      {
        title: "Lessons",
        description: `You have read ${overview.readCount} of ${overview.lessonCount} lessons. Open one with \`/lesson name:<lesson>\`.`,
        fields: overview.tracks.map(({ track, lessons }) => ({
          name: track.title,
          value: truncate(lessons.map(listLine).join("\n") || "No lessons yet.", 1024),
        })),
        footer: "✓ read · ▸ in progress · · not started",
        color: "brand",
      },
    ],
    ephemeral: true,
  };
}

/** One snippet with paging buttons; `ownerId` is the member allowed to press them. */
export function renderLessonPage(page: LessonPage, ownerId: string): View {
  const { lesson, index } = page;
  const snippet = lesson.snippets[index];
  const total = lesson.snippets.length;
  const isLast = index === total - 1;
  const buttons: ViewButton[] = [
    {
      id: lessonButtonId({ action: "page", ownerId, lessonId: lesson.id, index: Math.max(index - 1, 0) }),
      label: "Previous",
      style: "secondary",
      disabled: index === 0,
    },
  ];
  if (!isLast) {
    buttons.push({
      id: lessonButtonId({ action: "page", ownerId, lessonId: lesson.id, index: index + 1 }),
      label: "Next",
      style: "primary",
    });
  } else if (!page.completed) {
    buttons.push({
      id: lessonButtonId({ action: "done", ownerId, lessonId: lesson.id }),
      label: "Done",
      style: "success",
    });
  }
  if (isLast) {
    buttons.push({
      id: lessonButtonId({ action: "quiz", ownerId, lessonId: lesson.id }),
      label: "Quiz me",
      style: "primary",
    });
    if (page.completed && page.nextLesson) {
      buttons.push({
        id: lessonButtonId({ action: "page", ownerId, lessonId: page.nextLesson.id, index: 0 }),
        label: `Next lesson: ${truncate(page.nextLesson.title, 60)}`,
        style: "secondary",
      });
    }
  }
  if (lesson.comparePrompt) {
    buttons.push({ id: tryItButtonId(lesson.id), label: TRY_IT_LABEL, style: "secondary" });
  }
  return {
    ...(isLast &&
      page.completed && { content: `✓ You have read **${lesson.title}**. Ready to test yourself?` }),
    embeds: [
      {
        title: lesson.title,
        description: snippet ? `**${snippet.title}**\n\n${snippet.body}` : lesson.summary,
        ...(lesson.comparePrompt && {
          fields: [
            {
              name: "Try it",
              value: truncate(
                `**${TRY_IT_LABEL}** posts a comparison of both models in this channel, with the prompt “${lesson.comparePrompt}”`,
                1024,
              ),
            },
          ],
        }),
        footer: `Snippet ${index + 1} of ${total} · ${page.trackTitle}`,
        color: "brand",
      },
    ],
    buttons: [buttons],
    ephemeral: true,
  };
}

function listLine(entry: LessonListEntry): string {
  const name = `**${entry.lesson.title}** (\`${entry.lesson.id}\`)`;
  if (entry.status === "read") return `✓ ${name}`;
  if (entry.status === "reading")
    return `▸ ${name} — snippet ${entry.snippetsReached}/${entry.lesson.snippets.length}`;
  return `· ${name}`;
}
