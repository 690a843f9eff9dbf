import { describe, expect, it } from "vitest";
import { checkQuizBalance, rightIsLongest } from "../../src/lessons/checkQuizBalance.ts";

/** A question whose choices have these texts; `right` is the index of the correct one. */
function question(texts: string[], right: number) {
  return { choices: texts.map((text, index) => ({ text, correct: index === right })) };
}

describe("checkQuizBalance", () => {
  it("GIVEN the right choice is the longest in most questions THEN it warns that picking the longest passes", () => {
    const quiz = [
      question(["short", "the long right answer"], 1),
      question(["the long right answer", "short"], 0),
      question(["a", "the long right answer", "b"], 1),
      question(["right", "a longer wrong answer"], 0),
    ];
    expect(checkQuizBalance(quiz)).toEqual([
      'the right choice is the longest in 3 of 4 questions, so "pick the longest" passes; make the other choices as long and specific',
    ]);
  });

  it("GIVEN the right choice sits at one position in most questions THEN it warns to vary it", () => {
    const quiz = [0, 0, 0, 1].map((right) => question(["aaa", "bbb", "ccc"], right));
    expect(checkQuizBalance(quiz)).toEqual([
      "the right choice is choice A in 3 of 4 questions; vary its position",
    ]);
  });

  it("GIVEN a balanced quiz (half at most, by length and by position) THEN there is nothing to say", () => {
    const quiz = [
      question(["the long right answer", "b"], 0),
      question(["a", "the long right answer"], 1),
      question(["right", "a longer wrong answer", "c"], 0),
      question(["a", "b", "right", "a longer wrong one"], 2),
    ];
    expect(checkQuizBalance(quiz)).toEqual([]);
  });

  it("GIVEN a tie for the longest THEN the right choice does not count as the longest", () => {
    expect(rightIsLongest(question(["same length", "same length"], 0))).toBe(false);
    expect(rightIsLongest(question(["  padded  ", "longer one"], 0))).toBe(false);
  });
});
