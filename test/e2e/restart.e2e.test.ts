import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { DiscordDouble } from "../discord/DiscordDouble.ts";
import { answerKey, buttonLabelled } from "../support/answerKey.ts";
import { startTestBot, type TestBot, temporaryFolder } from "../support/startTestBot.ts";

describe("restarts and shutdown through the Discord double", () => {
  const folder = temporaryFolder();
  let double: DiscordDouble;
  /** Bots a test started; each is stopped after the test unless the test stopped it. */
  const running = new Set<TestBot>();

  async function start(databasePath: string): Promise<TestBot> {
    const bot = await startTestBot(double, { databasePath });
    running.add(bot);
    return bot;
  }

  async function stop(bot: TestBot): Promise<void> {
    running.delete(bot);
    await bot.stop();
  }

  /** Reads a count from the database file the way an admin tool would: a separate read-only connection. */
  function countOnDisk(databasePath: string, sql: string, ...params: unknown[]): number {
    const reader = new Database(databasePath, { readonly: true, fileMustExist: true });
    try {
      return (reader.prepare(sql).get(...params) as { n: number }).n;
    } finally {
      reader.close();
    }
  }

  beforeAll(async () => {
    double = await DiscordDouble.start();
  });

  afterEach(async () => {
    for (const bot of running) await stop(bot);
  });

  afterAll(async () => {
    await double?.close();
    folder.remove();
  });

  it("GIVEN a quiz and a lesson opened before a restart THEN their old buttons work with the new bot and progress survives", async () => {
    const databasePath = path.join(folder.dir, "restart.sqlite");
    const alice = double.user("alice");
    const before = await start(databasePath);
    const question = await double
      .slash(alice, "quiz", { lesson: "base-models", questions: 2 })
      .waitForReply();
    const answered = await double
      .click(alice, question, answerKey(question, before.app.services.content).right)
      .waitForReply();
    const page = await double.slash(alice, "lesson", { name: "chat-templates" }).waitForReply();
    await stop(before);

    const after = await start(databasePath);
    const second = await double.click(alice, answered, buttonLabelled(answered, "Next")).waitForReply();
    expect(second.text).toContain("Question 2 of 2 · Base models");
    const graded = await double
      .click(alice, second, answerKey(second, after.app.services.content).right)
      .waitForReply();
    expect(graded.text).toContain("Score so far: 2 of 2");
    const summary = await double.click(alice, graded, buttonLabelled(graded, "Finish")).waitForReply();
    expect(summary.text).toContain("You got **2 of 2** right (100% accuracy)");
    const turned = await double.click(alice, page, buttonLabelled(page, "Next")).waitForReply();
    expect(turned.text).toMatch(/Snippet 2 of \d+ · Foundations/);

    const progress = await double.slash(alice, "progress").waitForReply();
    const fields = Object.fromEntries((progress.embeds[0]?.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields).toMatchObject({ "Quizzes finished": "1", "Questions answered": "2", Points: "2" });
    double.assertNoErrors();
  });

  it("GIVEN the database was replaced since a quiz started THEN its old buttons say clearly that the quiz has ended", async () => {
    const alice = double.user("alice");
    const before = await start(path.join(folder.dir, "old.sqlite"));
    const question = await double
      .slash(alice, "quiz", { lesson: "base-models", questions: 2 })
      .waitForReply();
    const right = answerKey(question, before.app.services.content).right;
    await stop(before);

    await start(path.join(folder.dir, "new.sqlite"));
    const reply = await double.click(alice, question, right).waitForReply();

    expect(reply.id).not.toBe(question.id);
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toBe("⚠️ This quiz has ended — start a new one with /quiz.");
    double.assertNoErrors();
  });

  it("GIVEN an answer still being handled WHEN the bot stops THEN the answer is delivered and on disk, and later commands are politely refused", async () => {
    const databasePath = path.join(folder.dir, "shutdown.sqlite");
    const alice = double.user("alice");
    const bot = await start(databasePath);
    const question = await double
      .slash(alice, "quiz", { lesson: "base-models", questions: 2 })
      .waitForReply();
    // Discord holds the answer's acknowledgement for half a second, so the handler is still running.
    const limit = double.rateLimitNext("POST /interactions/:interaction/:token/callback", 0.5);
    const click = double.click(alice, question, answerKey(question, bot.app.services.content).right);
    await vi.waitFor(
      () => {
        if (limit.limitedAt === null) throw new Error("the answer has not reached Discord yet");
      },
      { timeout: 2000, interval: 5 },
    );
    expect(bot.app.dispatcher.busy).toBe(1);

    const stopping = stop(bot);
    const during = double.slash(alice, "progress");
    await stopping;

    expect(limit.retriedAt).not.toBeNull();
    expect(click.acknowledgement).not.toBeNull();
    expect((await click.waitForReply()).text).toContain("✅ Correct");
    expect((await during.waitForReply()).text).toBe(
      "⚠️ I'm restarting right now, so I can't take that. Please try again in a minute.",
    );
    expect(
      countOnDisk(databasePath, "select count(*) as n from quiz_answers where user_id = ?", alice.id),
    ).toBe(1);
    expect(
      countOnDisk(databasePath, "select count(*) as n from score_events where user_id = ?", alice.id),
    ).toBe(1);
    double.assertNoErrors();
  });
});
