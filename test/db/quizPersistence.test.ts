import { Worker } from "node:worker_threads";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { OpenedDatabase } from "../../src/db/openDatabase.ts";
import { QuizService } from "../../src/quiz/QuizService.ts";
import { seededRandom } from "../../src/random.ts";
import { sampleContent } from "../quiz/fixtures.ts";
import { createTemporaryDatabase, type TemporaryDatabase } from "./temporaryDatabase.ts";

const member = { guildId: "guild-1", userId: "user-1" };
const content = sampleContent();
const noon = new Date("2025-03-10T12:00:00Z");

let temporary: TemporaryDatabase;
let connection: OpenedDatabase;
let quiz: QuizService;

beforeEach(() => {
  temporary = createTemporaryDatabase();
  connection = temporary.open();
  quiz = new QuizService({
    db: connection.db,
    content,
    now: () => noon,
    random: seededRandom("persistence tests"),
  });
});
afterEach(() => temporary.remove());

function count(table: string): number {
  return connection.sqlite.prepare(`select count(*) from ${table}`).pluck().get() as number;
}

/** Display position of the correct (or a wrong) choice of the run's current question. */
function positionOf(step: { choices: { correct: boolean }[] }, correct: boolean): number {
  return step.choices.findIndex((choice) => choice.correct === correct);
}

describe("QuizService with a real database", () => {
  it("GIVEN a correct answer THEN answer, run, review card, point and activity day are all stored", async () => {
    const first = await quiz.start(member, { lesson: "tokens", questions: 2 });
    const step = await quiz.answer(member, {
      runId: first.runId,
      questionIndex: 0,
      position: positionOf(first, true),
    });

    expect(step).toMatchObject({
      kind: "answer",
      correct: true,
      duplicate: false,
      correctCount: 1,
      isLast: false,
    });
    const answer = connection.sqlite.prepare("select * from quiz_answers").get() as Record<string, unknown>;
    expect(answer).toMatchObject({
      run_id: first.runId,
      question_index: 0,
      question_id: first.question.id,
      correct: 1,
    });
    const run = connection.sqlite.prepare("select current_index, correct_count, status from quiz_runs").get();
    expect(run).toEqual({ current_index: 1, correct_count: 1, status: "active" });
    expect(connection.sqlite.prepare("select question_id, reps from review_cards").all()).toEqual([
      { question_id: first.question.id, reps: 1 },
    ]);
    expect(connection.sqlite.prepare("select points, kind, source_key from score_events").all()).toEqual([
      { points: 1, kind: "quiz_correct", source_key: `quiz:${first.runId}:0` },
    ]);
    expect(connection.sqlite.prepare("select day from activity_days").pluck().all()).toEqual(["2025-03-10"]);
  });

  it("GIVEN a wrong answer THEN it is stored and scheduled for review but earns no point", async () => {
    const first = await quiz.start(member, { lesson: "tokens" });
    const step = await quiz.answer(member, {
      runId: first.runId,
      questionIndex: 0,
      position: positionOf(first, false),
    });
    expect(step.correct).toBe(false);
    expect(count("quiz_answers")).toBe(1);
    expect(count("review_cards")).toBe(1);
    expect(count("score_events")).toBe(0);
  });

  it("GIVEN the same answer clicked twice THEN it is scored once and the second click is a duplicate", async () => {
    const first = await quiz.start(member, { lesson: "tokens" });
    const click = { runId: first.runId, questionIndex: 0, position: positionOf(first, true) };
    await quiz.answer(member, click);
    const again = await quiz.answer(member, { ...click, position: positionOf(first, false) });

    expect(again).toMatchObject({ duplicate: true, correct: true, chosenPosition: click.position });
    expect(count("quiz_answers")).toBe(1);
    expect(count("score_events")).toBe(1);
    expect(connection.sqlite.prepare("select reps from review_cards").pluck().get()).toBe(1);
    expect(connection.sqlite.prepare("select current_index from quiz_runs").pluck().get()).toBe(1);
  });

  it("GIVEN an earlier question clicked again after later ones were answered THEN it shows the score as it stood then", async () => {
    const first = await quiz.start(member, { lesson: "tokens", questions: 2 });
    await quiz.answer(member, { runId: first.runId, questionIndex: 0, position: positionOf(first, false) });
    const second = quiz.resume(member, first.runId);
    if (second.kind !== "question") throw new Error("expected a question");
    await quiz.answer(member, { runId: first.runId, questionIndex: 1, position: positionOf(second, true) });

    const again = await quiz.answer(member, { runId: first.runId, questionIndex: 0, position: 0 });
    expect(again).toMatchObject({ duplicate: true, correct: false, correctCount: 0, index: 0 });
  });

  it("GIVEN two connections answering the same question at the same moment THEN exactly one is scored", async () => {
    const first = await quiz.start(member, { lesson: "tokens" });
    const ready = new SharedArrayBuffer(4);
    const answerInWorker = () =>
      new Promise<{ duplicate: boolean }>((resolve, reject) => {
        // Workers do not inherit vitest's TypeScript support; tsx's loader is registered first.
        const script = new URL("./answerInWorker.ts", import.meta.url).href;
        const bootstrap = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(script)}); })`;
        const worker = new Worker(bootstrap, {
          eval: true,
          workerData: {
            databasePath: temporary.path,
            ...member,
            runId: first.runId,
            position: positionOf(first, true),
            ready,
            workers: 2,
          },
        });
        worker.once("message", resolve);
        worker.once("error", reject);
      });

    const outcomes = await Promise.all([answerInWorker(), answerInWorker()]);

    expect(outcomes.map((outcome) => outcome.duplicate).sort()).toEqual([false, true]);
    expect(count("quiz_answers")).toBe(1);
    expect(count("score_events")).toBe(1);
    expect(count("review_logs")).toBe(1);
  });

  it("GIVEN a run half answered WHEN the database is closed and reopened THEN the run continues where it stopped", async () => {
    const first = await quiz.start(member, { lesson: "base-models", questions: 3 });
    await quiz.answer(member, { runId: first.runId, questionIndex: 0, position: positionOf(first, true) });
    connection.close();

    const reopened = temporary.open();
    const afterRestart = new QuizService({ db: reopened.db, content, now: () => noon });
    const resumed = afterRestart.resume(member, first.runId);

    expect(resumed).toMatchObject({ kind: "question", index: 1, total: 3, lessonTitle: "Base models" });
    if (resumed.kind !== "question") throw new Error("expected a question");
    const second = await afterRestart.answer(member, { runId: first.runId, questionIndex: 1, position: 0 });
    expect(second.question.id).toBe(resumed.question.id);
    expect(second.choices).toEqual(resumed.choices);
  });

  it("GIVEN every question answered THEN the run is finished and the summary lists the missed ones", async () => {
    let step = await quiz.start(member, { lesson: "tokens", questions: 2 });
    const missed = step.question;
    await quiz.answer(member, { runId: step.runId, questionIndex: 0, position: positionOf(step, false) });
    const next = quiz.resume(member, step.runId);
    if (next.kind !== "question") throw new Error("expected a question");
    step = next;
    const last = await quiz.answer(member, {
      runId: step.runId,
      questionIndex: 1,
      position: positionOf(step, true),
    });

    expect(last.isLast).toBe(true);
    expect(connection.sqlite.prepare("select status, finished_at from quiz_runs").get()).toEqual({
      status: "finished",
      finished_at: noon.getTime(),
    });
    expect(quiz.resume(member, step.runId)).toEqual({
      kind: "summary",
      runId: step.runId,
      lessonTitle: "Tokens",
      total: 2,
      correctCount: 1,
      missed: [missed],
    });
  });
});
