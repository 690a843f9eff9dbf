import path from "node:path";
import { PermissionFlagsBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DiscordDouble, type DoubleUser, type StoredMessage } from "../discord/DiscordDouble.ts";
import { answerKey, buttonLabelled, buttonsOf } from "../support/answerKey.ts";
import { ManualScheduler } from "../support/manualScheduler.ts";
import { startTestBot, type TestBot, temporaryFolder } from "../support/startTestBot.ts";

/*
 * A whole class through the Discord double: a host starts it, turns pages, asks questions that a
 * room of members answers, reveals by hand and by timer, shows the scoreboard and ends it. Timers
 * run on a scheduler the test drives, so "the deadline passed" needs no sleep.
 */

const deadlineDelay = 10 * 60_000;

function isStage(message: StoredMessage): boolean {
  return message.embeds[0]?.title?.startsWith("Class · ") === true;
}

function isQuestion(message: StoredMessage): boolean {
  return /^Question \d+ of \d+/.test(message.embeds[0]?.title ?? "") && buttonsOf(message).length > 0;
}

function fieldOf(message: StoredMessage, name: string): string | undefined {
  return message.embeds[0]?.fields?.find((field) => field.name === name)?.value;
}

function members(double: DiscordDouble, count: number, prefix = "member"): DoubleUser[] {
  return Array.from({ length: count }, (_, index) => double.user(`${prefix}${index}`));
}

describe("class mode through the Discord double", () => {
  let double: DiscordDouble;
  let bot: TestBot;
  const scheduler = new ManualScheduler();
  let host: DoubleUser;

  beforeAll(async () => {
    double = await DiscordDouble.start();
    bot = await startTestBot(double, { classScheduler: scheduler });
    host = double.user("teacher");
    double.grant(host, PermissionFlagsBits.ManageMessages);
  });

  afterAll(async () => {
    await bot?.stop();
    await double?.close();
  });

  it("GIVEN a host runs a class THEN 50 members answer, reveals by host and timer, scoreboard and end all reach the room", async () => {
    const content = bot.app.services.content;
    const sqlite = bot.app.database.sqlite;
    const room = members(double, 50);

    // A member without Manage Messages is not offered /class at all.
    expect(() =>
      double.slash(room[0] as DoubleUser, "class", { lesson: "base-models" }, { subcommand: "start" }),
    ).toThrow(/lacks the permissions/);

    const stage = await double
      .slash(
        host,
        "class",
        { lesson: "base-models", question_seconds: 20, questions: 2 },
        { subcommand: "start" },
      )
      .waitForReply();
    expect(stage.ephemeral).toBe(false);
    expect(stage.text).toContain("Base models");
    expect(fieldOf(stage, "Questions")).toBe("0 of 2 · 20 s each");

    // One class per channel: a second start explains and links to the running one.
    await vi.waitFor(() =>
      expect(bot.app.services.classes.runningIn(double.channel)?.stageMessageId).toBe(stage.id),
    );
    const second = await double
      .slash(host, "class", { lesson: "base-models" }, { subcommand: "start" })
      .waitForReply();
    expect(second.ephemeral).toBe(true);
    expect(second.text).toContain(
      `https://discord.com/channels/${double.guild}/${double.channel}/${stage.id}`,
    );

    // Pages: only the host turns them; anyone else is told so privately.
    const refused = await double
      .click(room[0] as DoubleUser, stage, buttonLabelled(stage, "Next ▶"))
      .waitForReply();
    expect(refused.ephemeral).toBe(true);
    expect(refused.text).toContain("Only the host, Teacher");
    const page2 = await double.click(host, stage, buttonLabelled(stage, "Next ▶")).waitForReply();
    expect(page2.embeds[0]?.footer?.text).toMatch(/^Page 2 of /);

    // Question 1: fifty members answer, one of them twice.
    const question = await double
      .click(host, stage, buttonLabelled(stage, "Question"))
      .waitForReply(isQuestion);
    expect(question.ephemeral).toBe(false);
    expect(question.text).toMatch(/Closes <t:\d+:R>/);
    // The stage says which question is open, and its Question button waits for the reveal.
    const stageOpen = await double.waitFor(
      (message) => message.id === stage.id && /is open/.test(fieldOf(message, "Questions") ?? ""),
    );
    expect(fieldOf(stageOpen, "Questions")).toMatch(/^Question 1 of 2 is open · closes <t:\d+:R>$/);
    expect(buttonsOf(stageOpen).map((button) => button.label)).not.toContain("Question");
    const key = answerKey(question, content);
    const rightMembers = room.slice(0, 30);
    const clicks = room.map((member, index) =>
      double.click(member, question, index < 30 ? key.right : key.wrong),
    );
    const notes = await Promise.all(clicks.map((click) => click.waitForReply()));
    for (const note of notes) {
      expect(note.ephemeral).toBe(true);
      expect(note.text).toMatch(/^🔒 Locked in: \*\*[A-E]\*\*/);
    }
    const again = await double.click(room[0] as DoubleUser, question, key.wrong).waitForReply();
    expect(again.text).toMatch(/You already answered \*\*[A-E]\*\*; your first click is the one that counts/);
    // The answered count follows, edited at most once every 2 s.
    await double.waitFor(
      (message) => message.id === question.id && fieldOf(message, "Answered") === "50",
      10_000,
    );

    // Only the host reveals; the reveal shows the right answer, bars, and the fastest.
    const notHost = await double
      .click(room[1] as DoubleUser, question, buttonLabelled(question, /^Reveal/))
      .waitForReply();
    expect(notHost.ephemeral).toBe(true);
    const revealed = await double
      .click(host, question, buttonLabelled(question, /^Reveal/))
      .waitForReply((message) => fieldOf(message, "Right") !== undefined);
    expect(fieldOf(revealed, "Right")).toBe("30 of 50");
    expect(revealed.text).toContain("✅");
    expect(revealed.text).toContain("(60%)");
    expect(revealed.text).toContain(
      key.question.choices.find((choice) => choice.correct)?.explanation ?? "?",
    );
    // The members' choices are gone; the host's next step is under the reveal.
    expect(buttonsOf(revealed).map((button) => button.label)).toEqual([
      "Next question (host)",
      "Scoreboard (host)",
    ]);
    const notHostNext = await double
      .click(room[2] as DoubleUser, revealed, buttonLabelled(revealed, "Next question (host)"))
      .waitForReply();
    expect(notHostNext.ephemeral).toBe(true);
    expect(notHostNext.text).toContain("Only the host, Teacher");
    // At the reveal the stage offers the next question again.
    const stageAfter = await double.waitFor(
      (message) => message.id === stage.id && fieldOf(message, "Questions") === "1 of 2 · 20 s each",
    );
    expect(buttonsOf(stageAfter).map((button) => button.label)).toContain("Question");

    // Points: exactly once per right answer, on the leaderboard; every answer updated a review card.
    const paid = sqlite
      .prepare(
        "select count(*) as n, min(points) as low, max(points) as high from score_events where kind = 'class_correct'",
      )
      .get() as { n: number; low: number; high: number };
    expect(paid.n).toBe(rightMembers.length);
    expect(paid.low).toBeGreaterThanOrEqual(1);
    expect(paid.high).toBeLessThanOrEqual(2);
    const cards = sqlite
      .prepare("select count(*) as n from review_cards where question_id = ?")
      .get(key.question.id) as { n: number };
    expect(cards.n).toBe(50);

    // Question 2, asked from under the reveal, is revealed by its timer.
    const question2 = await double
      .click(host, revealed, buttonLabelled(revealed, "Next question (host)"))
      .waitForReply(isQuestion);
    expect(question2.embeds[0]?.title).toMatch(/^Question 2 of 2/);
    const key2 = answerKey(question2, content);
    await Promise.all(
      room.slice(0, 10).map((member) => double.click(member, question2, key2.right).waitForReply()),
    );
    expect(scheduler.runDue(deadlineDelay)).toBe(1);
    const timed = await double.waitFor(
      (message) => message.id === question2.id && fieldOf(message, "Right") !== undefined,
    );
    expect(fieldOf(timed, "Right")).toBe("10 of 10");
    // The last question: no next one, the scoreboard and the end instead.
    expect(buttonsOf(timed).map((button) => button.label)).toEqual(["Scoreboard (host)", "End class (host)"]);

    // No third question: the class asked for two.
    const stageNow = await double.waitFor(
      (message) => message.id === stage.id && fieldOf(message, "Questions") === "2 of 2 · 20 s each",
    );
    expect(buttonsOf(stageNow).map((button) => button.label)).not.toContain("Question");

    const board = await double.click(host, timed, buttonLabelled(timed, "Scoreboard (host)")).waitForReply();
    expect(board.ephemeral).toBe(false);
    expect(board.text).toMatch(/\*\*1\.\*\* <@\d+> · \d+ pts · 2\/2 right/);
    expect(board.allowedMentions?.parse ?? []).toEqual([]);

    const final = await double.click(host, stageNow, buttonLabelled(stageNow, "End class")).waitForReply();
    expect(final.text).toContain("Class over");
    expect(final.text).toContain("**50** participants · **2** questions");
    expect(final.text).toContain("Accuracy: 67%");
    expect(final.text).toMatch(/Podium: 🥇/);
    const card = final.attachments.find((file) => file.filename === "class-summary.png");
    expect(card?.description).toMatch(/^Class summary of “Base models”, hosted by Teacher/);
    expect(final.embeds[0]?.image?.url).toContain("class-summary.png");
    const rank = await double
      .click(room[49] as DoubleUser, final, buttonLabelled(final, "My rank"))
      .waitForReply();
    expect(rank.ephemeral).toBe(true);
    // Twenty answered wrong once: they share the last place, 31st.
    expect(rank.text).toBe("You placed **31** of 50 with 0 points (0/1 right).");
    const rankRight = await double
      .click(room[0] as DoubleUser, final, buttonLabelled(final, "My rank"))
      .waitForReply();
    expect(rankRight.text).toMatch(/^You placed \*\*\d+\*\* of 50 with \d{4} points \(2\/2 right\)\.$/);
    await double.waitFor((message) => message.id === stage.id && message.text.includes("Class ended"));
    // Past classes count in /progress, and class points on the leaderboard.
    const progress = await double.slash(room[0] as DoubleUser, "progress").waitForReply();
    expect(fieldOf(progress, "Classes joined")).toBe("1");
    // Two right answers: 1 or 2 leaderboard points each (speed points ÷ 500).
    expect(Number(fieldOf(progress, "Points"))).toBeGreaterThanOrEqual(2);
    expect(Number(fieldOf(progress, "Points"))).toBeLessThanOrEqual(4);
    double.assertNoErrors();
  });

  it("GIVEN a class WHEN its channel is deleted THEN the class ends and a new one can start", async () => {
    const stage = await double
      .slash(host, "class", { lesson: "base-models" }, { subcommand: "start" })
      .waitForReply();
    expect(isStage(stage)).toBe(true);
    double.deleteChannel();
    await vi.waitFor(() => expect(bot.app.services.classes.runningIn(double.channel)).toBeUndefined());
    const row = bot.app.database.sqlite
      .prepare("select end_reason as reason from classes order by started_at desc limit 1")
      .get() as { reason: string };
    expect(row.reason).toBe("channel-deleted");
    double.assertNoErrors();
  });

  it("GIVEN a member with Manage Server THEN they may end someone else's class, and may hand it over", async () => {
    const admin = double.user("admin");
    double.grant(admin, PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ManageMessages);
    const stage = await double
      .slash(host, "class", { lesson: "base-models" }, { subcommand: "start" })
      .waitForReply();
    const newHost = double.user("newhost");
    const handed = await double
      .slash(admin, "class", { member: newHost }, { subcommand: "host" })
      .waitForReply();
    expect(handed.text).toContain("now hosted by");
    const byOldHost = await double.click(host, stage, buttonLabelled(stage, "Next ▶")).waitForReply();
    expect(byOldHost.text).toContain("Only the host, Newhost");
    const final = await double.slash(admin, "class", {}, { subcommand: "end" }).waitForReply();
    expect(final.text).toContain("A server manager ended this class.");
    double.assertNoErrors();
  });

  it("GIVEN a question open WHEN the host ends the class THEN the question is revealed with no controls left under it", async () => {
    const stage = await double
      .slash(host, "class", { lesson: "base-models", questions: 3 }, { subcommand: "start" })
      .waitForReply();
    const question = await double
      .click(host, stage, buttonLabelled(stage, "Question"))
      .waitForReply(isQuestion);
    const key = answerKey(question, bot.app.services.content);
    await double.click(double.user("early"), question, key.right).waitForReply();
    const final = await double.click(host, stage, buttonLabelled(stage, "End class")).waitForReply();
    expect(final.text).toContain("Class over");
    const revealed = await double.waitFor(
      (message) => message.id === question.id && fieldOf(message, "Right") !== undefined,
    );
    expect(fieldOf(revealed, "Right")).toBe("1 of 1");
    expect(buttonsOf(revealed)).toEqual([]);
    double.assertNoErrors();
  });
});

describe("a class across a restart", () => {
  let double: DiscordDouble;
  const folder = temporaryFolder();
  const databasePath = path.join(folder.dir, "class.sqlite");

  beforeAll(async () => {
    double = await DiscordDouble.start();
  });

  afterAll(async () => {
    await double?.close();
    folder.remove();
  });

  it("GIVEN a question open when the bot restarts THEN its buttons keep working, the deadline is re-armed and nothing counts twice", async () => {
    const host = double.user("teacher");
    double.grant(host, PermissionFlagsBits.ManageMessages);
    const room = members(double, 30);
    const first = await startTestBot(double, { databasePath, classScheduler: new ManualScheduler() });
    const content = first.app.services.content;
    const stage = await double
      .slash(host, "class", { lesson: "base-models" }, { subcommand: "start" })
      .waitForReply();
    const question = await double
      .click(host, stage, buttonLabelled(stage, "Question"))
      .waitForReply(isQuestion);
    const key = answerKey(question, content);
    await Promise.all(
      room.slice(0, 20).map((member) => double.click(member, question, key.right).waitForReply()),
    );
    await first.stop();

    const scheduler = new ManualScheduler();
    const second = await startTestBot(double, { databasePath, classScheduler: scheduler });
    try {
      expect(scheduler.pending[0]).toBeLessThanOrEqual(20_000);
      const repeats = await Promise.all(
        room.slice(0, 5).map((member) => double.click(member, question, key.wrong).waitForReply()),
      );
      for (const note of repeats) expect(note.text).toContain("You already answered");
      await Promise.all(
        room.slice(20).map((member) => double.click(member, question, key.wrong).waitForReply()),
      );
      expect(scheduler.runDue(deadlineDelay)).toBe(1);
      const revealed = await double.waitFor(
        (message) => message.id === question.id && fieldOf(message, "Right") !== undefined,
      );
      expect(fieldOf(revealed, "Right")).toBe("20 of 30");
      const paid = second.app.database.sqlite
        .prepare("select count(*) as n from score_events where kind = 'class_correct'")
        .get() as { n: number };
      expect(paid.n).toBe(20);
      double.assertNoErrors();
    } finally {
      await second.stop();
    }
  });
});
