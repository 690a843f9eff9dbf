import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiscordDouble, type DoubleUser, type StoredMessage } from "../discord/DiscordDouble.ts";
import { buttonLabelled } from "../support/answerKey.ts";
import { middayClock } from "../support/middayClock.ts";
import { playQuiz } from "../support/playQuiz.ts";
import { startTestBot, type TestBot, temporaryFolder } from "../support/startTestBot.ts";

const dayMs = 24 * 60 * 60 * 1000;

/** The fields of the progress card, by name. */
function fieldsOf(message: StoredMessage): Record<string, string> {
  return Object.fromEntries((message.embeds[0]?.fields ?? []).map((field) => [field.name, field.value]));
}

describe("/progress through the Discord double", () => {
  const folder = temporaryFolder();
  let double: DiscordDouble;
  let bot: TestBot;
  /** The Tracks field for a member who has read `read(trackId)` lessons of each track. */
  const tracksLine = (read: (trackId: string) => number): string =>
    bot.app.services.content.tracks
      .map((track) => `· ${track.title}: ${read(track.id)} / ${track.lessons.length}`)
      .join("\n");
  const clock = middayClock();

  async function readLesson(user: DoubleUser, lessonId: string): Promise<void> {
    let page = await double.slash(user, "lesson", { name: lessonId }).waitForReply();
    while (!page.content.startsWith("✓ You have read")) {
      const next = page.customIds.some((id) => id.startsWith("lesson:done:")) ? "Done" : "Next";
      page = await double.click(user, page, buttonLabelled(page, next)).waitForReply();
    }
  }

  async function quizWith(user: DoubleUser, picks: ("right" | "wrong")[]): Promise<void> {
    const first = await double
      .slash(user, "quiz", { lesson: "base-models", questions: picks.length })
      .waitForReply();
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

  it("GIVEN a lesson read yesterday and a quiz today THEN /progress shows lessons, quizzes, accuracy, streak and due reviews", async () => {
    const alice = double.user("alice");
    clock.offsetMs = -dayMs;
    await readLesson(alice, "next-token-prediction");
    clock.offsetMs = 0;
    await quizWith(alice, ["right", "right", "right", "wrong"]);

    const progress = await double.slash(alice, "progress").waitForReply();

    expect(progress.ephemeral).toBe(true);
    expect(progress.embeds[0]?.title).toBe("Progress · Alice");
    expect(progress.embeds[0]?.image?.url).toBe("attachment://progress.png");
    const [card] = progress.attachments;
    expect(card?.filename).toBe("progress.png");
    expect(card?.bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(card?.description).toBeTruthy();
    const lessonCount = bot.app.services.content.allLessons().length;
    expect(fieldsOf(progress)).toEqual({
      "Lessons read": `1 / ${lessonCount}`,
      "Quizzes finished": "1",
      "Questions answered": "4",
      Accuracy: "75%",
      "Reviews done": "0",
      "Reviews due": "1 — run /review",
      Streak: "2 days (longest 2 days)",
      Points: "3",
      Tracks: tracksLine((trackId) => (trackId === "foundations" ? 1 : 0)),
    });
    double.assertNoErrors();
  });

  it("GIVEN /progress member:Carol THEN the asker sees Carol's record, privately", async () => {
    const carol = double.user("carol");
    const dave = double.user("dave");
    await quizWith(carol, ["right"]);

    const progress = await double.slash(dave, "progress", { member: carol }).waitForReply();

    expect(progress.ephemeral).toBe(true);
    expect(progress.visibleTo).toBe(dave.id);
    expect(progress.embeds[0]?.title).toBe("Progress · Carol");
    expect(fieldsOf(progress)).toMatchObject({
      "Questions answered": "1",
      Accuracy: "100%",
      Streak: "1 day (longest 1 day)",
      Points: "1",
    });
    double.assertNoErrors();
  });

  it("GIVEN a streak that ended two days ago THEN the current streak is 0 and the longest is kept", async () => {
    const erin = double.user("erin");
    clock.offsetMs = -3 * dayMs;
    await quizWith(erin, ["right"]);
    clock.offsetMs = -2 * dayMs;
    await quizWith(erin, ["wrong"]);
    clock.offsetMs = 0;

    const progress = await double.slash(erin, "progress").waitForReply();

    expect(fieldsOf(progress)).toMatchObject({
      Streak: "0 days (longest 2 days)",
      "Quizzes finished": "2",
      Accuracy: "50%",
    });
    double.assertNoErrors();
  });

  it("GIVEN a member who has done nothing THEN /progress shows an empty record without errors", async () => {
    const progress = await double.slash(double.user("newcomer"), "progress").waitForReply();
    expect(fieldsOf(progress)).toEqual({
      "Lessons read": `0 / ${bot.app.services.content.allLessons().length}`,
      "Quizzes finished": "0",
      "Questions answered": "0",
      Accuracy: "—",
      "Reviews done": "0",
      "Reviews due": "0",
      Streak: "0 days (longest 0 days)",
      Points: "0",
      Tracks: tracksLine(() => 0),
    });
    double.assertNoErrors();
  });
});
