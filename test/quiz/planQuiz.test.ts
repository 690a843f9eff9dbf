import { describe, expect, it } from "vitest";
import { planQuiz } from "../../src/quiz/planQuiz.ts";
import { seededRandom, shuffle } from "../../src/random.ts";
import { makeLesson } from "./fixtures.ts";

const questions = makeLesson("foundations", "tokens", "Tokens", 1, { questions: 6 }).questions;

describe("planQuiz", () => {
  it("GIVEN more questions than requested THEN it picks that many distinct ones with each choice order a permutation", () => {
    const plan = planQuiz(questions, 4, seededRandom("plan"));
    expect(plan.questionIds).toHaveLength(4);
    expect(new Set(plan.questionIds).size).toBe(4);
    for (const order of plan.choiceOrders) expect([...order].sort()).toEqual([0, 1, 2, 3]);
  });

  it("GIVEN fewer questions than requested THEN it uses all of them and remembers what was asked for", () => {
    const plan = planQuiz(questions, 20, seededRandom("plan"));
    expect(plan.questionIds).toHaveLength(6);
    expect(plan.requested).toBe(20);
  });
});

describe("seededRandom", () => {
  it("GIVEN the same seed twice THEN shuffles come out the same, and differ for another seed", () => {
    const items = [0, 1, 2, 3, 4, 5, 6, 7];
    expect(shuffle(items, seededRandom("a:1"))).toEqual(shuffle(items, seededRandom("a:1")));
    expect(shuffle(items, seededRandom("a:1"))).not.toEqual(shuffle(items, seededRandom("a:2")));
  });
});
