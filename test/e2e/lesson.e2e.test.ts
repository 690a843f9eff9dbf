import path from "node:path";
import { ComponentType } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Lesson } from "../../src/lessons/content.ts";
import { TRY_IT_LABELS } from "../../src/lessons/renderLesson.ts";
import { DiscordDouble, type DoubleUser, type StoredMessage } from "../discord/DiscordDouble.ts";
import { walkComponents } from "../discord/validateMessage.ts";
import { buttonLabelled, buttonsOf } from "../support/answerKey.ts";
import { copyToChannel } from "../support/copyToChannel.ts";
import { startTestBot, type TestBot, temporaryFolder } from "../support/startTestBot.ts";

/** Every button label on the message, disabled ones marked `(off)`. */
function labels(message: StoredMessage): string[] {
  return [...walkComponents(message.components)].flatMap(({ component }) =>
    component.type === ComponentType.Button
      ? [`${String(component.label)}${component.disabled === true ? " (off)" : ""}`]
      : [],
  );
}

describe("/lesson through the Discord double", () => {
  const folder = temporaryFolder();
  let double: DiscordDouble;
  let bot: TestBot;
  let baseModels: Lesson;
  /** The Try it buttons base-models shows on every page, one per demo. */
  let tryIt: string[];
  const count = (sql: string, ...params: unknown[]): number =>
    (bot.app.database.sqlite.prepare(sql).get(...params) as { n: number }).n;

  /** Opens `lessonId` and presses Next until the last snippet is on screen. */
  async function readToLastSnippet(user: DoubleUser, lessonId: string): Promise<StoredMessage> {
    let page = await double.slash(user, "lesson", { name: lessonId }).waitForReply();
    while (labels(page).includes("Next")) {
      page = await double.click(user, page, buttonLabelled(page, "Next")).waitForReply();
    }
    return page;
  }

  beforeAll(async () => {
    double = await DiscordDouble.start();
    bot = await startTestBot(double, { databasePath: path.join(folder.dir, "bot.sqlite") });
    const lesson = bot.app.services.content.getLesson("base-models");
    if (!lesson) throw new Error("the Foundations track has no base-models lesson");
    baseModels = lesson;
    tryIt = lesson.demos.map((demo) => TRY_IT_LABELS[demo.kind]);
  });

  afterAll(async () => {
    await bot?.stop();
    await double?.close();
    folder.remove();
  });

  it("GIVEN /lesson without a name THEN every track and lesson is listed with the member's progress, to them only", async () => {
    const alice = double.user("alice");
    const opened = await double.slash(alice, "lesson", { name: "base-models" }).waitForReply();
    await double.click(alice, opened, buttonLabelled(opened, "Next")).waitForReply();

    const list = await double.slash(alice, "lesson").waitForReply();

    expect(list.ephemeral).toBe(true);
    expect(list.visibleTo).toBe(alice.id);
    const lessons = bot.app.services.content.allLessons();
    expect(list.text).toContain(`You have read 0 of ${lessons.length} lessons.`);
    expect(list.embeds[0]?.fields?.map((field) => field.name)).toEqual(
      bot.app.services.content.tracks.map((track) => `${track.title} · 0/${track.lessons.length}`),
    );
    for (const lesson of lessons) expect(list.text).toContain(`**${lesson.title}** (\`${lesson.id}\`)`);
    expect(list.text).toContain(
      `▸ **Base models** (\`base-models\`) — snippet 2/${baseModels.snippets.length}`,
    );
    expect(list.text).toContain("· **Next-token prediction** (`next-token-prediction`)");
    double.assertNoErrors();
  });

  it("GIVEN /lesson name:base-models THEN it pages snippet by snippet with Previous and Next, and Done records it as read", async () => {
    const bob = double.user("bob");
    const total = baseModels.snippets.length;
    const first = await double.slash(bob, "lesson", { name: "base-models" }).waitForReply();
    expect(first.ephemeral).toBe(true);
    expect(first.text).toContain(baseModels.snippets[0]?.title);
    expect(first.text).toContain(`Snippet 1 of ${total} · Foundations`);
    expect(labels(first)).toEqual(["Previous (off)", "Next", ...tryIt]);

    const second = await double.click(bob, first, buttonLabelled(first, "Next")).waitForReply();
    expect(second.id).toBe(first.id);
    expect(second.text).toContain(baseModels.snippets[1]?.title);
    expect(labels(second)).toEqual(["Previous", "Next", ...tryIt]);
    const back = await double.click(bob, second, buttonLabelled(second, "Previous")).waitForReply();
    expect(back.text).toContain(`Snippet 1 of ${total}`);

    const last = await readToLastSnippet(bob, "base-models");
    expect(last.text).toContain(`Snippet ${total} of ${total}`);
    expect(labels(last)).toEqual(["Previous", "Done", "Quiz me", ...tryIt]);
    expect(
      count(
        "select count(*) as n from lesson_progress where user_id = ? and completed_at is not null",
        bob.id,
      ),
    ).toBe(0);

    const done = await double.click(bob, last, buttonLabelled(last, "Done")).waitForReply();

    expect(done.content).toBe("✓ You have read **Base models**. Ready to test yourself?");
    expect(labels(done)).toEqual(["Previous", "Quiz me", "Next lesson: Instruct models", ...tryIt]);
    expect(
      count(
        "select count(*) as n from lesson_progress where user_id = ? and completed_at is not null",
        bob.id,
      ),
    ).toBe(1);
    const progress = await double.slash(bob, "progress").waitForReply();
    const lessonsRead = progress.embeds[0]?.fields?.find((field) => field.name === "Lessons read");
    expect(lessonsRead?.value).toBe(`1 / ${bot.app.services.content.allLessons().length}`);
    const list = await double.slash(bob, "lesson").waitForReply();
    expect(list.text).toContain("✓ **Base models** (`base-models`)");
    double.assertNoErrors();
  });

  it("GIVEN the last snippet THEN Quiz me starts a quiz on the lesson and Next lesson opens the next one", async () => {
    const carol = double.user("carol");
    const last = await readToLastSnippet(carol, "base-models");
    const done = await double.click(carol, last, buttonLabelled(last, "Done")).waitForReply();

    const quiz = await double.click(carol, done, buttonLabelled(done, "Quiz me")).waitForReply();
    expect(quiz.id).not.toBe(done.id);
    expect(quiz.ephemeral).toBe(true);
    expect(quiz.text).toContain("Question 1 of 5 · Base models");

    const next = await double.click(carol, done, buttonLabelled(done, /^Next lesson: /)).waitForReply();
    expect(next.id).toBe(done.id);
    expect(next.text).toContain(bot.app.services.content.getLesson("instruct-models")?.snippets[0]?.title);
    expect(next.text).toMatch(/Snippet 1 of \d+ · Foundations/);
    double.assertNoErrors();
  });

  it("GIVEN a member typing in the name option THEN autocomplete offers the lessons that match", async () => {
    const dave = double.user("dave");
    expect(await double.autocomplete(dave, "lesson", "name", "templ")).toEqual([
      { name: "Foundations › Chat templates", value: "chat-templates" },
    ]);
    const model = await double.autocomplete(dave, "lesson", "name", "MODEL");
    // Foundations first (track order), then matches from later tracks; case does not matter.
    expect(model.slice(0, 4).map((choice) => choice.value)).toEqual([
      "base-models",
      "instruct-models",
      "which-to-fine-tune",
      "choosing-a-model",
    ]);
    for (const choice of model) expect(choice.name).toMatch(/model/i);
    const everything = await double.autocomplete(dave, "lesson", "name", "");
    // Discord shows at most 25 choices.
    expect(everything).toHaveLength(Math.min(25, bot.app.services.content.allLessons().length));
    expect(await double.autocomplete(dave, "lesson", "name", "quantum")).toEqual([]);
    const quizLessons = await double.autocomplete(dave, "quiz", "lesson", "next-token");
    expect(quizLessons.map((choice) => choice.value)).toEqual(["next-token-prediction"]);
    double.assertNoErrors();
  });

  it("GIVEN a lesson name that does not exist THEN a polite ephemeral error, and nothing is recorded", async () => {
    const erin = double.user("erin");
    const reply = await double.slash(erin, "lesson", { name: "quantum physics" }).waitForReply();
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toBe("⚠️ There is no lesson called “quantum physics”. Run /lesson to see them all.");
    const typo = await double.slash(erin, "lesson", { name: "chat-tempaltes" }).waitForReply();
    expect(typo.text).toContain("Did you mean `chat-templates`?");
    expect(count("select count(*) as n from lesson_progress where user_id = ?", erin.id)).toBe(0);
    double.assertNoErrors();
  });

  it("GIVEN another member presses a lesson's Next THEN they are politely refused and the owner's page stays", async () => {
    const frank = double.user("frank");
    const grace = double.user("grace");
    const page = await double.slash(frank, "lesson", { name: "base-models" }).waitForReply();
    const visible = await copyToChannel(bot.platform.client, double, page);

    const refusal = await double.click(grace, visible, buttonLabelled(visible, "Next")).waitForReply();

    expect(refusal.ephemeral).toBe(true);
    expect(refusal.visibleTo).toBe(grace.id);
    expect(refusal.text).toContain("This lesson was opened by someone else");
    expect(visible.edits).toHaveLength(0);
    expect(count("select count(*) as n from lesson_progress where user_id = ?", grace.id)).toBe(0);
    expect(buttonsOf(page).map((button) => button.label)).toEqual(["Next", ...tryIt]);
    double.assertNoErrors();
  });
});
