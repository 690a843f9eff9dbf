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
  tokenize: "Try it: /tokenize",
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
    case "tokenize":
      return `**${TRY_IT_LABELS.tokenize}**: how each model's tokenizer cuts “${demo.text}” into tokens`;
  }
}

/** Every track with the member's progress, each lesson's status, and what to read next. */
export function renderLessonList(overview: LessonOverview, ownerId: string): View {
  const { nextUp } = overview;
  const next = nextUp
    ? `\n**Next up:** ${nextUp.lesson.title} (\`${nextUp.lesson.id}\`)${nextUp.status === "reading" ? ", where you left off" : ""}.`
    : "\nYou have read every lesson: well done! `/review` keeps it fresh.";
  return {
    embeds: [
      {
        title: "Lessons",
        description: `You have read ${overview.readCount} of ${overview.lessonCount} lessons. Open one with \`/lesson name:<lesson>\`.${next}`,
        fields: overview.tracks.map(({ track, lessons }) => {
          const read = lessons.filter((entry) => entry.status === "read").length;
          return {
            name: `${read === lessons.length && read > 0 ? "✓ " : ""}${track.title} · ${read}/${lessons.length}`,
            value: truncate(lessons.map(listLine).join("\n") || "No lessons yet.", 1024),
          };
        }),
        footer: "✓ read · ▸ in progress · · not started",
        color: "brand",
      },
    ],
    ...(nextUp && {
      buttons: [
        [
          {
            id: lessonButtonId({
              action: "page",
              ownerId,
              lessonId: nextUp.lesson.id,
              index: Math.max(0, nextUp.snippetsReached - 1),
            }),
            label: `${nextUp.status === "reading" ? "Continue" : "Start"}: ${truncate(nextUp.lesson.title, 60)}`,
            style: "primary" as const,
          },
        ],
      ],
    }),
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
        description: `${index === 0 && page.buildsOn.length > 0 ? `*Builds on ${page.buildsOn.map((earlier) => `**${earlier.title}** (\`${earlier.id}\`)`).join(", ")}: worth reading first.*\n\n` : ""}${snippet ? `**${snippet.title}**\n\n${snippet.body}` : lesson.summary}`,
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
