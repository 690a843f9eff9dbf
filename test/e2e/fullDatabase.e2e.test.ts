import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiscordDouble } from "../discord/DiscordDouble.ts";
import { answerKey } from "../support/answerKey.ts";
import { fillQuizAnswers } from "../support/fillQuizAnswers.ts";
import { startTestBot, type TestBot } from "../support/startTestBot.ts";

const cannotSave =
  "⚠️ I couldn't save that: the progress database can't take new writes right now (its disk is full or read-only). What you just did was not saved; everything saved before is intact. Please try again later.";

describe("a full database through the Discord double", () => {
  let double: DiscordDouble;
  let bot: TestBot;
  const count = (sql: string, ...params: unknown[]): number =>
    bot.app.database.sqlite
      .prepare(sql)
      .pluck()
      .get(...params) as number;

  beforeAll(async () => {
    double = await DiscordDouble.start();
    bot = await startTestBot(double);
  });

  afterAll(async () => {
    await bot?.stop();
    await double?.close();
  });

  it("GIVEN the database is full WHEN a member answers a quiz question THEN they are told this answer was not saved and earlier progress is intact", async () => {
    const alice = double.user("alice");
    const question = await double
      .slash(alice, "quiz", { lesson: "base-models", questions: 2 })
      .waitForReply();
    const right = answerKey(question, bot.app.services.content).right;
    fillQuizAnswers(bot.app.database.sqlite);

    const notice = await double.click(alice, question, right).waitForReply();

    expect(notice.id).not.toBe(question.id);
    expect(notice.ephemeral).toBe(true);
    expect(notice.text).toBe(cannotSave);
    expect(question.edits).toHaveLength(0);
    expect(count("select count(*) from quiz_answers where user_id = ?", alice.id)).toBe(0);
    expect(count("select count(*) from score_events where user_id = ?", alice.id)).toBe(0);
    expect(count("select count(*) from quiz_runs where user_id = ?", alice.id)).toBe(1);
    double.assertNoErrors();
  });
});
