import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiscordDouble, type DoubleUser, type StoredMessage } from "../discord/DiscordDouble.ts";
import { middayClock } from "../support/middayClock.ts";
import { playQuiz } from "../support/playQuiz.ts";
import { startTestBot, type TestBot, temporaryFolder } from "../support/startTestBot.ts";

const dayMs = 24 * 60 * 60 * 1000;

/** Checks that a message could not ping anyone, whatever mentions it holds. */
function expectNoPings(message: StoredMessage): void {
  const allowed = message.allowedMentions;
  expect(allowed?.parse).toEqual([]);
  expect(allowed?.users ?? []).toEqual([]);
  expect(allowed?.roles ?? []).toEqual([]);
  expect(message.current.mentions).toEqual([]);
  expect(message.current.mention_everyone).toBe(false);
}

describe("/leaderboard through the Discord double", () => {
  const folder = temporaryFolder();
  let double: DiscordDouble;
  let bot: TestBot;
  const clock = middayClock();

  async function quizWith(user: DoubleUser, picks: ("right" | "wrong")[]): Promise<void> {
    const first = await double.slash(user, "quiz", { questions: picks.length }).waitForReply();
    await playQuiz(double, bot.app.services.content, user, first, picks);
  }

  beforeAll(async () => {
    double = await DiscordDouble.start();
    bot = await startTestBot(double, {
      databasePath: path.join(folder.dir, "bot.sqlite"),
      now: clock.now,
    });
  });

  afterAll(async () => {
    await bot?.stop();
    await double?.close();
    folder.remove();
  });

  it("GIVEN nobody has points THEN /leaderboard invites members to answer quizzes", async () => {
    const board = await double.slash(double.user("alice"), "leaderboard").waitForReply();
    expect(board.text).toContain("No points yet — answer /quiz questions to get on the board.");
    double.assertNoErrors();
  });

  describe("GIVEN points earned this week and ten days ago", () => {
    let olga: DoubleUser;
    let alice: DoubleUser;
    let bob: DoubleUser;

    beforeAll(async () => {
      olga = double.user("olga");
      alice = double.user("alice");
      bob = double.user("bob");
      clock.offsetMs = -10 * dayMs;
      await quizWith(olga, ["right", "right", "right"]);
      clock.offsetMs = 0;
      await quizWith(alice, ["right", "wrong", "right"]);
      await quizWith(bob, ["right", "wrong"]);
    });

    it("GIVEN /leaderboard THEN the last 7 days are ranked in the channel, marking the asker", async () => {
      const handle = double.slash(bob, "leaderboard");
      const board = await handle.waitForReply();

      expect(board.ephemeral).toBe(false);
      expect(board.embeds[0]?.title).toBe("Leaderboard · last 7 days");
      expect(board.embeds[0]?.description).toBe(
        [`**1.** <@${alice.id}> — 2 points`, `**2.** <@${bob.id}> — 1 point (you)`].join("\n"),
      );
      const week = await double.slash(bob, "leaderboard", { period: "week" }).waitForReply();
      expect(week.embeds[0]?.description).toBe(board.embeds[0]?.description);
      double.assertNoErrors();
    });

    it("GIVEN /leaderboard period:all THEN older points count too", async () => {
      const board = await double.slash(alice, "leaderboard", { period: "all" }).waitForReply();

      expect(board.embeds[0]?.title).toBe("Leaderboard · all time");
      expect(board.embeds[0]?.description).toBe(
        [
          `**1.** <@${olga.id}> — 3 points`,
          `**2.** <@${alice.id}> — 2 points (you)`,
          `**3.** <@${bob.id}> — 1 point`,
        ].join("\n"),
      );
      double.assertNoErrors();
    });

    it("GIVEN a member without points this week THEN the board says so", async () => {
      const board = await double.slash(olga, "leaderboard").waitForReply();
      expect(board.text).toContain("You have no points in this period yet.");
      expect(board.text).not.toContain(`<@${olga.id}>`);
      double.assertNoErrors();
    });

    it("GIVEN members named on the board THEN nobody is pinged", async () => {
      const week = await double.slash(bob, "leaderboard").waitForReply();
      const all = await double.slash(bob, "leaderboard", { period: "all" }).waitForReply();

      expect(week.text).toContain(`<@${alice.id}>`);
      expect(all.text).toContain(`<@${olga.id}>`);
      expectNoPings(week);
      expectNoPings(all);
      double.assertNoErrors();
    });
  });
});
