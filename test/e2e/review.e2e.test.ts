import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiscordDouble, type DoubleUser } from "../discord/DiscordDouble.ts";
import { answerKey } from "../support/answerKey.ts";
import { copyToChannel } from "../support/copyToChannel.ts";
import { playQuiz } from "../support/playQuiz.ts";
import { startTestBot, type TestBot, temporaryFolder } from "../support/startTestBot.ts";

const dayMs = 24 * 60 * 60 * 1000;

interface CardRow {
  due: number;
  reps: number;
}

describe("/review through the Discord double", () => {
  const folder = temporaryFolder();
  let double: DiscordDouble;
  let bot: TestBot;
  const count = (sql: string, ...params: unknown[]): number =>
    (bot.app.database.sqlite.prepare(sql).get(...params) as { n: number }).n;
  const card = (user: DoubleUser, questionId: string): CardRow =>
    bot.app.database.sqlite
      .prepare("select due, reps from review_cards where user_id = ? and question_id = ?")
      .get(user.id, questionId) as CardRow;

  /** Plays a base-models quiz with these picks; returns the ids of the questions answered wrongly. */
  async function quizWith(user: DoubleUser, picks: ("right" | "wrong")[]): Promise<string[]> {
    const first = await double
      .slash(user, "quiz", { lesson: "base-models", questions: picks.length })
      .waitForReply();
    const played = await playQuiz(double, bot.app.services.content, user, first, picks);
    return played.questions.filter((_, index) => picks[index] === "wrong").map((question) => question.id);
  }

  beforeAll(async () => {
    double = await DiscordDouble.start();
    bot = await startTestBot(double, { databasePath: path.join(folder.dir, "bot.sqlite") });
  });

  afterAll(async () => {
    await bot?.stop();
    await double?.close();
    folder.remove();
  });

  it("GIVEN a member who never answered a question THEN /review says there is nothing to review yet", async () => {
    const reply = await double.slash(double.user("newcomer"), "review").waitForReply();
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toContain("All caught up 🎉");
    expect(reply.text).toContain("Nothing to review yet — answer some /quiz questions");
    expect(reply.customIds).toEqual([]);
    double.assertNoErrors();
  });

  it("GIVEN two wrong quiz answers THEN /review serves those cards, answering reschedules each, then all caught up", async () => {
    const alice = double.user("alice");
    const missed = await quizWith(alice, ["wrong", "wrong", "right"]);

    const review = await double.slash(alice, "review").waitForReply();
    expect(review.ephemeral).toBe(true);
    expect(review.text).toContain("2 cards due · from “Base models”");
    const firstKey = answerKey(review, bot.app.services.content);
    expect(missed).toContain(firstKey.question.id);
    const before = card(alice, firstKey.question.id);

    const answered = await double.click(alice, review, firstKey.right).waitForReply();

    expect(answered.id).toBe(review.id);
    expect(answered.text).toContain("✅ Correct");
    expect(answered.text).toMatch(/This card comes back in \d+ days?\./);
    expect(answered.text).toContain("1 card due");
    const after = card(alice, firstKey.question.id);
    expect(after.reps).toBe(before.reps + 1);
    expect(after.due).toBeGreaterThan(Date.now() + dayMs - 60_000);
    expect(after.due).toBeGreaterThan(before.due);

    const secondKey = answerKey(answered, bot.app.services.content);
    expect(secondKey.question.id).not.toBe(firstKey.question.id);
    expect(missed).toContain(secondKey.question.id);
    const last = await double.click(alice, answered, secondKey.right).waitForReply();
    expect(last.text).toContain("All caught up 🎉");
    // The card answered right in the quiz comes back a day after that answer, a moment ago.
    expect(last.text).toMatch(/Your next review is due in (23 hours|1 day)\./);
    expect(last.customIds).toEqual([]);
    expect(
      count("select count(*) as n from review_logs where user_id = ? and source = 'review'", alice.id),
    ).toBe(2);

    const again = await double.slash(alice, "review").waitForReply();
    expect(again.text).toContain("All caught up 🎉");
    const progress = await double.slash(alice, "progress").waitForReply();
    const fields = Object.fromEntries((progress.embeds[0]?.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields["Reviews done"]).toBe("2");
    expect(fields["Reviews due"]).toMatch(/^0 \(next in (23 hours|1 day)\)$/);
    double.assertNoErrors();
  });

  it("GIVEN a wrong review answer THEN the card shows the right answer and comes back within minutes", async () => {
    const bob = double.user("bob");
    const [missed] = await quizWith(bob, ["wrong"]);
    const review = await double.slash(bob, "review").waitForReply();
    const key = answerKey(review, bot.app.services.content);
    expect(key.question.id).toBe(missed);
    const before = card(bob, key.question.id);

    const answered = await double.click(bob, review, key.wrong).waitForReply();

    const right = key.question.choices.find((choice) => choice.correct);
    expect(answered.text).toContain("❌ Not quite");
    expect(answered.text).toContain(`The answer is **${right?.text}**`);
    expect(answered.text).toContain("This card comes back in 1 minute.");
    const after = card(bob, key.question.id);
    expect(after.reps).toBe(before.reps + 1);
    expect(after.due).toBeLessThanOrEqual(Date.now() + 60_000);
    const again = await double.slash(bob, "review").waitForReply();
    expect(answerKey(again, bot.app.services.content).question.id).toBe(missed);
    double.assertNoErrors();
  });

  it("GIVEN two clicks at once on a review answer THEN the card is rescheduled once", async () => {
    const carol = double.user("carol");
    await quizWith(carol, ["wrong"]);
    const review = await double.slash(carol, "review").waitForReply();
    const key = answerKey(review, bot.app.services.content);

    const first = double.click(carol, review, key.right);
    const second = double.click(carol, review, key.right);
    await Promise.all([first.waitForReply(), second.waitForReply()]);

    expect(
      count("select count(*) as n from review_logs where user_id = ? and source = 'review'", carol.id),
    ).toBe(1);
    expect(card(carol, key.question.id).reps).toBe(2);
    expect(review.edits.map((edit) => edit.message.content)).toContain(
      "You already answered this card — it was counted once.",
    );
    double.assertNoErrors();
  });

  it("GIVEN another member clicks a review answer THEN they are politely refused and the card is unchanged", async () => {
    const dave = double.user("dave");
    const erin = double.user("erin");
    await quizWith(dave, ["wrong"]);
    const review = await double.slash(dave, "review").waitForReply();
    const key = answerKey(review, bot.app.services.content);
    const before = card(dave, key.question.id);
    const visible = await copyToChannel(bot.platform.client, double, review);

    const refusal = await double.click(erin, visible, key.right).waitForReply();

    expect(refusal.ephemeral).toBe(true);
    expect(refusal.text).toContain("These are someone else's reviews — run /review to see yours.");
    expect(card(dave, key.question.id)).toEqual(before);
    double.assertNoErrors();
  });
});
