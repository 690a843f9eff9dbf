import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiscordDouble } from "../discord/DiscordDouble.ts";
import { startTestBot, type TestBot } from "../support/startTestBot.ts";

describe("quiz through the Discord double", () => {
  let double: DiscordDouble;
  let bot: TestBot;

  beforeAll(async () => {
    double = await DiscordDouble.start();
    bot = await startTestBot(double);
  });

  afterAll(async () => {
    await bot?.stop();
    await double?.close();
  });

  it("GIVEN /quiz THEN answering persists and a double click is scored once", async () => {
    const alice = double.user("alice");
    const handle = double.slash(alice, "quiz", { lesson: "base-models", questions: 2 });
    const question = await handle.waitForReply();
    expect(question.ephemeral).toBe(true);
    const answerIds = question.customIds.filter((id) => id.startsWith("quiz:answer:"));
    expect(answerIds.length).toBeGreaterThanOrEqual(2);
    const first = double.click(alice, question, answerIds[0] ?? "");
    const second = double.click(alice, question, answerIds[0] ?? "");
    await first.waitForReply();
    await second.waitForReply();
    const rows = bot.app.database.sqlite.prepare("select count(*) as n from quiz_answers").get() as {
      n: number;
    };
    expect(rows.n).toBe(1);
    double.assertNoErrors();
  });
});
