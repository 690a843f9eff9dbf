import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { OpenedDatabase } from "../../src/db/openDatabase.ts";
import { UserError } from "../../src/errors.ts";
import { QuizService } from "../../src/quiz/QuizService.ts";
import { seededRandom } from "../../src/random.ts";
import { ReviewService } from "../../src/review/ReviewService.ts";
import { createTemporaryDatabase, type TemporaryDatabase } from "../db/temporaryDatabase.ts";
import { createContentLibrary, sampleContent } from "../quiz/fixtures.ts";

const member = { guildId: "guild-1", userId: "user-1" };
const minute = 60 * 1000;
const day = 24 * 60 * minute;
const content = sampleContent();

let temporary: TemporaryDatabase;
let connection: OpenedDatabase;
let clock: Date;
let quiz: QuizService;
let review: ReviewService;

beforeEach(() => {
  temporary = createTemporaryDatabase();
  connection = temporary.open();
  clock = new Date("2025-03-10T12:00:00Z");
  const options = { db: connection.db, content, now: () => clock };
  quiz = new QuizService({ ...options, random: seededRandom("review tests") });
  review = new ReviewService(options);
});
afterEach(() => temporary.remove());

function advance(ms: number): void {
  clock = new Date(clock.getTime() + ms);
}

/** Takes a quiz on `lesson`, answering question i correctly when `rightAnswers[i]`. */
async function takeQuiz(lesson: string, rightAnswers: boolean[]): Promise<string[]> {
  let step = await quiz.start(member, { lesson, questions: rightAnswers.length });
  const asked: string[] = [];
  for (const [index, right] of rightAnswers.entries()) {
    asked.push(step.question.id);
    const position = step.choices.findIndex((choice) => choice.correct === right);
    await quiz.answer(member, { runId: step.runId, questionIndex: index, position });
    const next = quiz.resume(member, step.runId);
    if (next.kind === "question") step = next;
  }
  return asked;
}

function correctIndexOf(questionId: string): number {
  return content.getQuestion(questionId)?.choices.findIndex((choice) => choice.correct) ?? -1;
}

describe("ReviewService", () => {
  it("GIVEN no answered questions THEN nothing is due and there is no next review", () => {
    expect(review.next(member)).toEqual({ kind: "caughtUp", nextDue: undefined, now: clock });
  });

  it("GIVEN a quiz with one miss THEN only the missed question is due, and the right ones come back after days", async () => {
    const [missed] = await takeQuiz("tokens", [false, true, true]);
    const next = review.next(member);
    expect(next).toMatchObject({ kind: "card", dueCount: 1, reps: 1 });
    expect(next.kind === "card" && next.question.id).toBe(missed);
  });

  it("GIVEN a due card answered rightly THEN it is rescheduled later and the member is caught up", async () => {
    const [missed = ""] = await takeQuiz("tokens", [false]);
    advance(2 * minute);
    const step = await review.answer(member, {
      questionId: missed,
      reps: 1,
      choiceIndex: correctIndexOf(missed),
    });

    expect(step).toMatchObject({ kind: "answer", duplicate: false, correct: true });
    expect(step.dueAgain.getTime()).toBeGreaterThan(clock.getTime() + 12 * 60 * minute);
    expect(step.next).toMatchObject({ kind: "caughtUp", nextDue: step.dueAgain });
    expect(connection.sqlite.prepare("select source, rating from review_logs order by id").all()).toEqual([
      { source: "quiz", rating: 1 },
      { source: "review", rating: 3 },
    ]);
  });

  it("GIVEN the same review button clicked twice THEN the card is rescheduled once and the repeat is a duplicate", async () => {
    const [missed = ""] = await takeQuiz("tokens", [false]);
    const click = { questionId: missed, reps: 1, choiceIndex: correctIndexOf(missed) };
    await review.answer(member, click);
    const again = await review.answer(member, { ...click, choiceIndex: click.choiceIndex + 1 });

    expect(again).toMatchObject({ duplicate: true, correct: true, chosenIndex: click.choiceIndex });
    expect(connection.sqlite.prepare("select reps from review_cards").pluck().get()).toBe(2);
    expect(
      connection.sqlite.prepare("select count(*) from review_logs where source = 'review'").pluck().get(),
    ).toBe(1);
  });

  it("GIVEN a wrong review THEN the next step skips that card even though it is due again within minutes", async () => {
    const [first = "", second = ""] = await takeQuiz("tokens", [false, false]);
    const wrongChoice = (correctIndexOf(first) + 1) % 4;
    const step = await review.answer(member, { questionId: first, reps: 1, choiceIndex: wrongChoice });

    expect(step.correct).toBe(false);
    expect(step.next.kind === "card" && step.next.question.id).toBe(second);
  });

  it("GIVEN cards only due in the future THEN the caught-up step says when the next one is due", async () => {
    await takeQuiz("tokens", [true, true]);
    const next = review.next(member);
    expect(next.kind).toBe("caughtUp");
    expect(
      next.kind === "caughtUp" && next.nextDue && next.nextDue.getTime() - clock.getTime(),
    ).toBeGreaterThanOrEqual(day);
  });

  it("GIVEN a card for a question removed from the content THEN it is never served", async () => {
    await takeQuiz("tokens", [false]);
    const withoutTokens = createContentLibrary(content.tracks.filter((track) => track.id !== "foundations"));
    const afterEdit = new ReviewService({ db: connection.db, content: withoutTokens, now: () => clock });
    expect(afterEdit.next(member)).toEqual({ kind: "caughtUp", nextDue: undefined, now: clock });
  });

  it("GIVEN another member's guild THEN their cards are not served here", async () => {
    await takeQuiz("tokens", [false]);
    expect(review.next({ guildId: "guild-2", userId: member.userId }).kind).toBe("caughtUp");
    await expect(
      review.answer(
        { guildId: "guild-2", userId: member.userId },
        { questionId: "tokens/q1", reps: 1, choiceIndex: 0 },
      ),
    ).rejects.toThrow(UserError);
  });
});
