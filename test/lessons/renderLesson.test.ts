import { describe, expect, it } from "vitest";
import type { LessonPage } from "../../src/lessons/LessonProgressService.ts";
import { renderLessonPage, TRY_IT_LABEL } from "../../src/lessons/renderLesson.ts";
import { buttonsOf, expectValidButtonIds } from "../commands/recordingReply.ts";
import { makeLesson } from "../quiz/fixtures.ts";

const ownerId = "100000000000000001";
const prompt = "What is the capital of France?";
const withPrompt = { ...makeLesson("foundations", "base-models", "Base models", 1), comparePrompt: prompt };
const withoutPrompt = makeLesson("foundations", "tokens", "Tokens", 2);

function page(overrides: Partial<LessonPage> = {}): LessonPage {
  return {
    lesson: withPrompt,
    trackTitle: "Foundations",
    index: 0,
    completed: false,
    nextLesson: withoutPrompt,
    ...overrides,
  };
}

const labels = (view: ReturnType<typeof renderLessonPage>) => buttonsOf(view).map((button) => button.label);

describe("renderLessonPage with a suggested prompt", () => {
  it("GIVEN a lesson with a compare prompt THEN every page ends its row with Try it, which names the prompt", () => {
    const first = renderLessonPage(page(), ownerId);
    expect(labels(first)).toEqual(["Previous", "Next", TRY_IT_LABEL]);
    expect(buttonsOf(first).at(-1)).toEqual({
      id: "tryit:compare:base-models",
      label: "Try it: /compare",
      style: "secondary",
    });
    expect(first.embeds?.[0]?.fields).toEqual([
      {
        name: "Try it",
        value: `**Try it: /compare** posts a comparison of both models in this channel, with the prompt “${prompt}”`,
      },
    ]);
    expectValidButtonIds(first);
  });

  it("GIVEN the last snippet, before and after Done THEN Try it joins the other buttons and the row stays within 5", () => {
    const last = withPrompt.snippets.length - 1;
    const unread = renderLessonPage(page({ index: last }), ownerId);
    const read = renderLessonPage(page({ index: last, completed: true }), ownerId);

    expect(labels(unread)).toEqual(["Previous", "Done", "Quiz me", TRY_IT_LABEL]);
    expect(labels(read)).toEqual(["Previous", "Quiz me", "Next lesson: Tokens", TRY_IT_LABEL]);
    for (const view of [unread, read]) {
      expect(view.buttons).toHaveLength(1);
      expect(view.buttons?.[0]?.length).toBeLessThanOrEqual(5);
      expectValidButtonIds(view);
    }
  });

  it("GIVEN a lesson without a compare prompt THEN there is no Try it button and no Try it field", () => {
    const view = renderLessonPage(page({ lesson: withoutPrompt }), ownerId);
    expect(labels(view)).toEqual(["Previous", "Next"]);
    expect(view.embeds?.[0]?.fields).toBeUndefined();
  });
});
