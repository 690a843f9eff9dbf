import { describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.ts";
import { parseQuizButton, type QuizButton, quizButtonId } from "../../src/quiz/quizButtons.ts";

describe("quiz button ids", () => {
  const buttons: QuizButton[] = [
    { action: "answer", runId: "AbC-dEf_123x", questionIndex: 19, position: 4 },
    { action: "next", runId: "AbC-dEf_123x" },
    { action: "finish", runId: "AbC-dEf_123x" },
  ];

  it.each(buttons)("GIVEN a $action button THEN its id parses back to the same button", (button) => {
    expect(parseQuizButton(quizButtonId(button))).toEqual(button);
  });

  it.each([
    "quiz:answer:run",
    "quiz:answer:run:x:1",
    "quiz:jump:run",
    "lesson:next:run",
    "quiz:next:run:extra",
  ])("GIVEN the malformed id %s THEN it is treated as an ended quiz", (customId) => {
    expect(() => parseQuizButton(customId)).toThrow(
      new UserError("This quiz has ended — start a new one with /quiz."),
    );
  });
});
