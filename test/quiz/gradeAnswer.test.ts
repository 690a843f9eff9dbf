import { describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.ts";
import { gradeAnswer } from "../../src/quiz/gradeAnswer.ts";
import { makeQuestion } from "./fixtures.ts";

// In makeQuestion, choice 0 is the correct one.
const question = makeQuestion("tokens", "q1", 4);
const shownOrder = [2, 0, 3, 1];

describe("gradeAnswer", () => {
  it("GIVEN the position showing the correct choice THEN it is graded correct", () => {
    expect(gradeAnswer(question, shownOrder, 1)).toEqual({ chosenIndex: 0, correctIndex: 0, correct: true });
  });

  it("GIVEN a position showing a wrong choice THEN it is graded wrong and maps back to the original choice", () => {
    expect(gradeAnswer(question, shownOrder, 0)).toEqual({ chosenIndex: 2, correctIndex: 0, correct: false });
  });

  it("GIVEN a position beyond the choices THEN it is refused as a changed question", () => {
    expect(() => gradeAnswer(question, shownOrder, 4)).toThrow(UserError);
  });

  it("GIVEN a stored order for a question that since lost a choice THEN it is refused", () => {
    expect(() => gradeAnswer(makeQuestion("tokens", "q1", 3), shownOrder, 1)).toThrow(/changed/);
  });
});
