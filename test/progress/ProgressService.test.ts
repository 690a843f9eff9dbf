import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { OpenedDatabase } from "../../src/db/openDatabase.ts";
import { writeTransactionOnce } from "../../src/db/writeTransactionOnce.ts";
import { LessonProgressService } from "../../src/lessons/LessonProgressService.ts";
import { awardPoints } from "../../src/progress/awardPoints.ts";
import { LeaderboardService } from "../../src/progress/LeaderboardService.ts";
import { ProgressService } from "../../src/progress/ProgressService.ts";
import { QuizService } from "../../src/quiz/QuizService.ts";
import { seededRandom } from "../../src/random.ts";
import { createTemporaryDatabase, type TemporaryDatabase } from "../db/temporaryDatabase.ts";
import { sampleContent } from "../quiz/fixtures.ts";

const guildId = "guild-1";
const member = { guildId, userId: "user-1" };
const day = 24 * 60 * 60 * 1000;
const content = sampleContent();

let temporary: TemporaryDatabase;
let connection: OpenedDatabase;
let clock: Date;
let services: {
  quiz: QuizService;
  lessons: LessonProgressService;
  progress: ProgressService;
  leaderboard: LeaderboardService;
};

beforeEach(() => {
  temporary = createTemporaryDatabase();
  connection = temporary.open();
  clock = new Date("2025-03-10T12:00:00Z");
  const options = { db: connection.db, content, now: () => clock };
  services = {
    // Seeded: which questions a quiz draws decides what is due for review afterwards.
    quiz: new QuizService({ ...options, random: seededRandom("progress tests") }),
    lessons: new LessonProgressService(options),
    progress: new ProgressService(options),
    leaderboard: new LeaderboardService(options),
  };
});
afterEach(() => temporary.remove());

async function answerAll(userId: string, rightAnswers: boolean[]): Promise<void> {
  const who = { guildId, userId };
  let step = await services.quiz.start(who, { questions: rightAnswers.length });
  for (const [index, right] of rightAnswers.entries()) {
    const position = step.choices.findIndex((choice) => choice.correct === right);
    await services.quiz.answer(who, { runId: step.runId, questionIndex: index, position });
    const next = services.quiz.resume(who, step.runId);
    if (next.kind === "question") step = next;
  }
}

function award(userId: string, points: number, at: Date, sourceKey: string): void {
  writeTransactionOnce(connection.db, (tx) =>
    awardPoints(tx, { guildId, userId }, { points, kind: "test", sourceKey, at }),
  );
}

describe("ProgressService", () => {
  it("GIVEN a brand-new member THEN everything is zero and accuracy is unknown", () => {
    expect(services.progress.summarize(member)).toMatchObject({
      lessonsRead: 0,
      lessonsTotal: 3,
      quizzesFinished: 0,
      questionsAnswered: 0,
      accuracy: undefined,
      streak: { current: 0, longest: 0 },
      dueReviews: 0,
      points: 0,
    });
  });

  it("GIVEN lessons, a quiz and activity over three days THEN the summary counts them", async () => {
    await services.lessons.complete(member, "tokens");
    await services.lessons.turnTo(member, "base-models", 2);
    clock = new Date(clock.getTime() + day);
    await answerAll(member.userId, [true, false, true, true]);
    clock = new Date(clock.getTime() + day);
    await answerAll(member.userId, [true]);

    expect(services.progress.summarize(member)).toMatchObject({
      lessonsRead: 1,
      quizzesFinished: 2,
      questionsAnswered: 5,
      correctAnswers: 4,
      accuracy: 0.8,
      streak: { current: 3, longest: 3 },
      dueReviews: 1,
      points: 4,
    });
  });

  it("GIVEN progress in another guild THEN it does not count here", async () => {
    await answerAll(member.userId, [true, true]);
    expect(services.progress.summarize({ guildId: "guild-2", userId: member.userId }).questionsAnswered).toBe(
      0,
    );
  });
});

describe("LeaderboardService", () => {
  it("GIVEN points inside and outside the last 7 days THEN the week counts only recent ones and all time counts everything", () => {
    award("old-timer", 10, new Date(clock.getTime() - 8 * day), "old");
    award("newcomer", 3, new Date(clock.getTime() - 6 * day), "new");

    expect(services.leaderboard.rank(guildId, "newcomer", "week").top).toEqual([
      { userId: "newcomer", points: 3, rank: 1 },
    ]);
    expect(services.leaderboard.rank(guildId, "newcomer", "all").top.map((score) => score.userId)).toEqual([
      "old-timer",
      "newcomer",
    ]);
  });

  it("GIVEN twelve members THEN the top 10 are listed and a caller ranked 12th gets their own line", () => {
    for (let index = 1; index <= 12; index++) award(`user-${index}`, 100 - index, clock, `k${index}`);
    const board = services.leaderboard.rank(guildId, "user-12", "week");
    expect(board.top).toHaveLength(10);
    expect(board.top[0]).toEqual({ userId: "user-1", points: 99, rank: 1 });
    expect(board.caller).toEqual({ userId: "user-12", points: 88, rank: 12 });
    expect(services.leaderboard.rank(guildId, "user-3", "week").caller).toBeUndefined();
  });

  it("GIVEN correct quiz answers THEN each is worth one point on the board, and only in its guild", async () => {
    await answerAll("quizzer", [true, true, false]);
    expect(services.leaderboard.rank(guildId, "quizzer", "week").top).toEqual([
      { userId: "quizzer", points: 2, rank: 1 },
    ]);
    expect(services.leaderboard.rank("guild-2", "quizzer", "week")).toMatchObject({
      top: [],
      callerUnranked: true,
    });
  });

  it("GIVEN the same source key awarded twice THEN the points count once", () => {
    award("voter", 2, clock, "vote:1:voter");
    award("voter", 2, clock, "vote:1:voter");
    expect(services.leaderboard.rank(guildId, "voter", "all").top).toEqual([
      { userId: "voter", points: 2, rank: 1 },
    ]);
  });
});
