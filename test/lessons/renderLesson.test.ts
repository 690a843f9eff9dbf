import { describe, expect, it } from "vitest";
import type { LessonPage } from "../../src/lessons/LessonProgressService.ts";
import { renderLessonPage, TRY_IT_LABELS } from "../../src/lessons/renderLesson.ts";

const TRY_IT_LABEL = TRY_IT_LABELS.compare;

import { buttonsOf, expectValidButtonIds } from "../commands/recordingReply.ts";
import { makeLesson } from "../quiz/fixtures.ts";

const ownerId = "100000000000000001";
const prompt = "What is the capital of France?";
const withPrompt = {
  ...makeLesson("foundations", "base-models", "Base models", 1),
  demos: [{ kind: "compare" as const, prompt, mode: "side-by-side" as const, blind: false }],
  sources: [{ title: "A paper", url: "https://example.org/paper" }],
};
const withoutPrompt = makeLesson("foundations", "tokens", "Tokens", 2);

function page(overrides: Partial<LessonPage> = {}): LessonPage {
  return {
    lesson: withPrompt,
    trackTitle: "Foundations",
    index: 0,
    completed: false,
    buildsOn: [],
    nextLesson: withoutPrompt,
    ...overrides,
  };
}

const labels = (view: ReturnType<typeof renderLessonPage>) => buttonsOf(view).map((button) => button.label);

describe("renderLessonPage with a suggested prompt", () => {
  it("GIVEN a lesson with a compare demo THEN every page has a Try it row, and the field names the prompt", () => {
    const first = renderLessonPage(page(), ownerId);
    expect(labels(first)).toEqual(["Previous", "Next", TRY_IT_LABEL]);
    expect(first.buttons?.[1]).toEqual([
      {
        id: "tryit:compare:base-models:0",
        label: "Try it: /compare",
        style: "secondary",
      },
    ]);
    expect(first.embeds?.[0]?.fields).toEqual([
      {
        name: "Try it",
        value: `**Try it: /compare**: base and instruct side by side, with the prompt “${prompt}”`,
      },
    ]);
    expectValidButtonIds(first);
  });

  it("GIVEN the last snippet, before and after Done THEN Try it has its own row and Further reading lists the sources", () => {
    const last = withPrompt.snippets.length - 1;
    const unread = renderLessonPage(page({ index: last }), ownerId);
    const read = renderLessonPage(page({ index: last, completed: true }), ownerId);

    expect(labels(unread)).toEqual(["Previous", "Done", "Quiz me", TRY_IT_LABEL]);
    expect(labels(read)).toEqual(["Previous", "Quiz me", "Next lesson: Tokens", TRY_IT_LABEL]);
    for (const view of [unread, read]) {
      expect(view.buttons).toHaveLength(2);
      expect(view.buttons?.[0]?.length).toBeLessThanOrEqual(5);
      expect(view.embeds?.[0]?.fields?.at(-1)).toEqual({
        name: "Further reading",
        value: "• [A paper](https://example.org/paper)",
      });
      expectValidButtonIds(view);
    }
  });

  it("GIVEN a lesson without demos or sources THEN there is no Try it row and no extra field", () => {
    const view = renderLessonPage(page({ lesson: withoutPrompt }), ownerId);
    expect(labels(view)).toEqual(["Previous", "Next"]);
    expect(view.embeds?.[0]?.fields).toBeUndefined();
  });

  it("GIVEN a lesson that builds on others THEN its first page suggests them, and later pages do not repeat it", () => {
    const earlier = makeLesson("foundations", "tokens", "Tokens", 1);
    const first = renderLessonPage(page({ buildsOn: [earlier] }), ownerId);
    expect(first.embeds?.[0]?.description).toMatch(
      /^\*Builds on \*\*Tokens\*\* \(`tokens`\): worth reading first\.\*\n\n/,
    );
    const second = renderLessonPage(page({ buildsOn: [earlier], index: 1 }), ownerId);
    expect(second.embeds?.[0]?.description).not.toContain("Builds on");
  });
});
