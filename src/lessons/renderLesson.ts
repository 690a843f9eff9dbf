import { truncate } from "../text/truncate.ts";
import type { View, ViewButton } from "../ui/view.ts";
import type { LessonDemo } from "./content.ts";
import type { LessonListEntry, LessonOverview, LessonPage } from "./LessonProgressService.ts";
import { lessonButtonId, tryItButtons } from "./lessonButtons.ts";

/** Labels of the buttons that run a lesson's demos, by kind. */
export const TRY_IT_LABELS: Record<LessonDemo["kind"], string> = {
  compare: "Try it: /compare",
  nexttoken: "Try it: /nexttoken",
  template: "Try it: /template",
};

/** The id of the button that runs a lesson's demo number `index`. */
export function tryItButtonId(lessonId: string, demo: LessonDemo, index: number): string {
  return tryItButtons.encode({ action: demo.kind, lessonId, index });
}

/** One line saying what a demo's button posts in the channel. */
function describeDemo(demo: LessonDemo): string {
  switch (demo.kind) {
    case "compare": {
      const how = demo.blind
        ? "a blind vote: which reply is the base model's?"
        : demo.mode === "three-way"
          ? "base, instruct, and instruct without its template"
          : "base and instruct side by side";
      return `**${TRY_IT_LABELS.compare}**: ${how}, with the prompt “${demo.prompt}”`;
    }
    case "nexttoken":
      return `**${TRY_IT_LABELS.nexttoken}**: the most likely next tokens of both models after “${demo.prompt}”`;
    case "template":
      return `**${TRY_IT_LABELS.template}**: how the instruct model's chat template wraps “${demo.message}”`;
  }
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
  const demoButtons: ViewButton[] = lesson.demos.map((demo, demoIndex) => ({
    id: tryItButtonId(lesson.id, demo, demoIndex),
    label: TRY_IT_LABELS[demo.kind],
    style: "secondary",
  }));
  const fields = [
    ...(lesson.demos.length > 0
      ? [{ name: "Try it", value: truncate(lesson.demos.map(describeDemo).join("\n"), 1024) }]
      : []),
    ...(isLast && lesson.sources.length > 0
      ? [
          {
            name: "Further reading",
            value: truncate(
              lesson.sources.map((source) => `• [${source.title}](${source.url})`).join("\n"),
              1024,
            ),
          },
        ]
      : []),
  ];
  return {
    ...(isLast &&
      page.completed && { content: `✓ You have read **${lesson.title}**. Ready to test yourself?` }),
    embeds: [
      {
        title: lesson.title,
        description: snippet ? `**${snippet.title}**\n\n${snippet.body}` : lesson.summary,
        ...(fields.length > 0 && { fields }),
        footer: `Snippet ${index + 1} of ${total} · ${page.trackTitle}`,
        color: "brand",
      },
    ],
    buttons: demoButtons.length > 0 ? [buttons, demoButtons] : [buttons],
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
