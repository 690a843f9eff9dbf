import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiscordDouble } from "../discord/DiscordDouble.ts";
import { answerKey } from "../support/answerKey.ts";
import { holdWriteLock } from "../support/holdWriteLock.ts";
import { startTestBot, type TestBot, temporaryFolder } from "../support/startTestBot.ts";

const busyNotice =
  "The progress database is busy right now, so nothing was saved for that. Please try again in a moment.";
const databaseBusy =
  "⚠️ The progress database is busy right now, so nothing was saved for that. Please try again in a moment.";

describe("a locked database through the Discord double", () => {
  const folder = temporaryFolder();
  const databasePath = path.join(folder.dir, "bot.sqlite");
  let double: DiscordDouble;
  let bot: TestBot;
  /** Another program holding the database, such as a backup script or a second copy of the bot. */
  let other: Database.Database;
  const count = (sql: string, ...params: unknown[]): number =>
    (bot.app.database.sqlite.prepare(sql).get(...params) as { n: number }).n;

  beforeAll(async () => {
    double = await DiscordDouble.start();
    bot = await startTestBot(double, { databasePath });
    other = new Database(databasePath, { timeout: 0 });
  });

  afterAll(async () => {
    if (other?.inTransaction) other.exec("ROLLBACK");
    other?.close();
    await bot?.stop();
    await double?.close();
    folder.remove();
  });

  it("GIVEN another connection holds the write lock WHEN a member answers THEN they are told the database is busy, and the same click works once it is released", async () => {
    const alice = double.user("alice");
    const question = await double
      .slash(alice, "quiz", { lesson: "base-models", questions: 2 })
      .waitForReply();
    const right = answerKey(question, bot.app.services.content).right;

    other.exec("BEGIN EXCLUSIVE");
    const busy = await double.click(alice, question, right).waitForReply();
    other.exec("ROLLBACK");

    expect(busy.id).not.toBe(question.id);
    expect(busy.ephemeral).toBe(true);
    expect(busy.text).toBe(databaseBusy);
    expect(question.edits).toHaveLength(0);
    expect(count("select count(*) as n from quiz_answers where user_id = ?", alice.id)).toBe(0);

    const answered = await double.click(alice, question, right).waitForReply();
    expect(answered.id).toBe(question.id);
    expect(answered.text).toContain("✅ Correct");
    expect(count("select count(*) as n from quiz_answers where user_id = ?", alice.id)).toBe(1);
    expect(count("select count(*) as n from score_events where user_id = ?", alice.id)).toBe(1);
    double.assertNoErrors();
  });

  it("GIVEN another process holds the write lock for 4 s WHEN twelve members answer at once THEN every click is acknowledged in time and each answer is either scored once or reported as not saved", async () => {
    const members = Array.from({ length: 12 }, (_, index) => double.user(`crowd-${index + 1}`));
    const questions = await Promise.all(
      members.map((member) =>
        double.slash(member, "quiz", { lesson: "base-models", questions: 2 }).waitForReply(),
      ),
    );
    const rightButtons = questions.map((question) => answerKey(question, bot.app.services.content).right);

    const holder = await holdWriteLock(databasePath, 4000);
    const clicks = members.map((member, index) =>
      double.click(member, questions[index] as (typeof questions)[number], rightButtons[index] as string),
    );
    const replies = await Promise.all(clicks.map((click) => click.waitForReply()));
    const acknowledgements = await Promise.all(clicks.map((click) => click.acknowledged()));
    await holder.released;

    for (const [index, member] of members.entries()) {
      const reply = replies[index];
      const answers = count("select count(*) as n from quiz_answers where user_id = ?", member.id);
      const points = count("select count(*) as n from score_events where user_id = ?", member.id);
      if (reply?.id === questions[index]?.id) {
        expect(reply?.text).toContain("✅ Correct");
        expect([answers, points]).toEqual([1, 1]);
      } else {
        expect(reply?.ephemeral).toBe(true);
        expect(reply?.text).toContain(busyNotice);
        expect([answers, points]).toEqual([0, 0]);
      }
    }
    for (const acknowledgement of acknowledgements) expect(acknowledgement.latencyMs).toBeLessThan(3000);

    // Nothing was half-written: once the lock is gone, the same click scores exactly once.
    for (const [index, member] of members.entries()) {
      const question = questions[index] as (typeof questions)[number];
      const again = await double.click(member, question, rightButtons[index] as string).waitForReply();
      expect(again.id).toBe(question.id);
      expect(count("select count(*) as n from score_events where user_id = ?", member.id)).toBe(1);
    }
    double.assertNoErrors();
  });

  it("GIVEN the write lock is held WHEN a member only reads THEN /progress and /lesson still answer", async () => {
    const bob = double.user("bob");
    other.exec("BEGIN EXCLUSIVE");
    try {
      const progress = await double.slash(bob, "progress").waitForReply();
      expect(progress.embeds[0]?.title).toBe("Progress · Bob");
      const list = await double.slash(bob, "lesson").waitForReply();
      expect(list.text).toContain("You have read 0 of");
    } finally {
      other.exec("ROLLBACK");
    }
    double.assertNoErrors();
  });

  it("GIVEN the write lock is held WHEN a member starts a quiz THEN they are told the database is busy, and the bot keeps serving", async () => {
    const carol = double.user("carol");
    other.exec("BEGIN EXCLUSIVE");
    let busy: string;
    try {
      busy = (await double.slash(carol, "quiz").waitForReply()).text;
    } finally {
      other.exec("ROLLBACK");
    }
    expect(busy).toBe(databaseBusy);
    expect(count("select count(*) as n from quiz_runs where user_id = ?", carol.id)).toBe(0);
    const quiz = await double.slash(carol, "quiz").waitForReply();
    expect(quiz.text).toContain("Question 1 of 5");
    double.assertNoErrors();
  });
});
