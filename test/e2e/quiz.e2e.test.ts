import path from "node:path";
import { ApplicationCommandOptionType, InteractionResponseType } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiscordDouble } from "../discord/DiscordDouble.ts";
import { answerKey, buttonLabelled } from "../support/answerKey.ts";
import { copyToChannel } from "../support/copyToChannel.ts";
import { playQuiz } from "../support/playQuiz.ts";
import { startTestBot, type TestBot, temporaryFolder } from "../support/startTestBot.ts";

/** The run id inside a quiz button id (`quiz:<action>:<runId>…`). */
function runIdOf(customId: string): string {
  return customId.split(":")[2] ?? "";
}

describe("/quiz through the Discord double", () => {
  const folder = temporaryFolder();
  let double: DiscordDouble;
  let bot: TestBot;
  const count = (sql: string, ...params: unknown[]): number =>
    (bot.app.database.sqlite.prepare(sql).get(...params) as { n: number }).n;

  beforeAll(async () => {
    double = await DiscordDouble.start();
    bot = await startTestBot(double, { databasePath: path.join(folder.dir, "bot.sqlite") });
  });

  afterAll(async () => {
    await bot?.stop();
    await double?.close();
    folder.remove();
  });

  it("GIVEN /quiz without options THEN five mixed questions are graded with explanations, then a summary", async () => {
    const alice = double.user("alice");
    const question = await double.slash(alice, "quiz").waitForReply();
    expect(question.ephemeral).toBe(true);
    expect(question.text).toContain("Question 1 of 5 · Mixed quiz");

    const played = await playQuiz(double, bot.app.services.content, alice, question, [
      "right",
      "wrong",
      "right",
      "right",
      "wrong",
    ]);

    expect(played.asked.map((text) => /Question (\d) of 5/.exec(text)?.[1])).toEqual([
      "1",
      "2",
      "3",
      "4",
      "5",
    ]);
    expect(played.answers[0]).toContain("✅ Correct");
    expect(played.answers[1]).toContain("❌ Not quite");
    const missed = played.questions[1];
    const rightChoice = missed?.choices.find((choice) => choice.correct);
    expect(played.answers[1]).toContain(`${rightChoice?.text}**`);
    expect(played.answers[1]).toContain(rightChoice?.explanation);
    expect(played.summary.text).toContain("Quiz finished · Mixed quiz");
    expect(played.summary.text).toContain("You got **3 of 5** right (60% accuracy)");
    expect(played.summary.text).toContain("Missed (2)");
    expect(played.summary.customIds).toEqual([]);
    expect(
      count("select count(*) as n from quiz_runs where user_id = ? and status = 'finished'", alice.id),
    ).toBe(1);
    expect(count("select count(*) as n from quiz_answers where user_id = ?", alice.id)).toBe(5);
    expect(count("select coalesce(sum(points), 0) as n from score_events where user_id = ?", alice.id)).toBe(
      3,
    );
    double.assertNoErrors();
  });

  it("GIVEN /quiz lesson:chat-templates questions:3 THEN it asks three questions, all from that lesson", async () => {
    const bob = double.user("bob");
    const question = await double
      .slash(bob, "quiz", { lesson: "chat-templates", questions: 3 })
      .waitForReply();
    const lessonTitle = bot.app.services.content.getLesson("chat-templates")?.title ?? "";
    expect(question.text).toContain(`Question 1 of 3 · ${lessonTitle}`);

    const played = await playQuiz(double, bot.app.services.content, bob, question, [
      "right",
      "right",
      "right",
    ]);

    expect(played.questions.map((asked) => asked.lessonId)).toEqual([
      "chat-templates",
      "chat-templates",
      "chat-templates",
    ]);
    expect(new Set(played.questions.map((asked) => asked.id)).size).toBe(3);
    expect(played.summary.text).toContain(`Quiz finished · ${lessonTitle}`);
    expect(played.summary.text).toContain("A perfect score!");
    double.assertNoErrors();
  });

  it("GIVEN a questions count outside 1 to 20 THEN Discord's client refuses it, and 20 from a 6-question lesson says so", async () => {
    const carol = double.user("carol");
    const registered = double.commands.guild.find((command) => command.name === "quiz");
    const questions = registered?.options?.find((option) => option.name === "questions");
    expect(questions).toMatchObject({
      type: ApplicationCommandOptionType.Integer,
      min_value: 1,
      max_value: 20,
    });
    expect(() => double.slash(carol, "quiz", { questions: 0 })).toThrow(/below min_value 1/);
    expect(() => double.slash(carol, "quiz", { questions: 21 })).toThrow(/above max_value 20/);

    const mixed = await double.slash(carol, "quiz", { questions: 20 }).waitForReply();
    expect(mixed.text).toContain("Question 1 of 20 · Mixed quiz");
    const short = await double.slash(carol, "quiz", { lesson: "base-models", questions: 20 }).waitForReply();
    expect(short.content).toBe("Only 6 questions are available, so this quiz has 6 instead of 20.");
    expect(short.text).toContain("Question 1 of 6");
    double.assertNoErrors();
  });

  it("GIVEN an answer THEN the choice, the grade, the review card and the point are stored", async () => {
    const dave = double.user("dave");
    const question = await double.slash(dave, "quiz", { lesson: "base-models", questions: 2 }).waitForReply();
    const key = answerKey(question, bot.app.services.content);

    const answered = await double.click(dave, question, key.right).waitForReply();

    expect(answered.id).toBe(question.id);
    expect(answered.text).toContain("Score so far: 1 of 1");
    const row = bot.app.database.sqlite
      .prepare("select question_id, chosen_choice, correct from quiz_answers where user_id = ?")
      .get(dave.id);
    const rightIndex = key.question.choices.findIndex((choice) => choice.correct);
    expect(row).toEqual({ question_id: key.question.id, chosen_choice: rightIndex, correct: 1 });
    expect(
      count(
        "select count(*) as n from review_cards where user_id = ? and question_id = ?",
        dave.id,
        key.question.id,
      ),
    ).toBe(1);
    expect(count("select count(*) as n from score_events where user_id = ?", dave.id)).toBe(1);
    double.assertNoErrors();
  });

  it("GIVEN two clicks at once on the same answer THEN it is recorded and scored once", async () => {
    const erin = double.user("erin");
    const question = await double.slash(erin, "quiz", { lesson: "base-models", questions: 2 }).waitForReply();
    const key = answerKey(question, bot.app.services.content);

    const first = double.click(erin, question, key.right);
    const second = double.click(erin, question, key.right);
    await Promise.all([first.waitForReply(), second.waitForReply()]);

    const runId = runIdOf(key.right);
    expect(count("select count(*) as n from quiz_answers where run_id = ?", runId)).toBe(1);
    expect(count("select count(*) as n from score_events where source_key like ?", `quiz:${runId}:%`)).toBe(
      1,
    );
    expect(first.acknowledgement?.type).toBe(InteractionResponseType.UpdateMessage);
    expect(second.acknowledgement?.type).toBe(InteractionResponseType.UpdateMessage);
    const contents = question.edits.map((edit) => edit.message.content);
    expect(contents).toContain("You already answered this one — your first answer is the one that counts.");
    expect(question.text).toContain("Score so far: 1 of 1");
    double.assertNoErrors();
  });

  it("GIVEN another member clicks an answer or Next THEN they are politely refused and nothing is recorded", async () => {
    const frank = double.user("frank");
    const grace = double.user("grace");
    const question = await double
      .slash(frank, "quiz", { lesson: "base-models", questions: 2 })
      .waitForReply();
    const key = answerKey(question, bot.app.services.content);
    const runId = runIdOf(key.right);
    // Replies are ephemeral: Discord itself does not let Grace click Frank's buttons…
    expect(() => double.click(grace, question, key.right)).toThrow(/ephemeral/);

    // …so the bot's own check is tried with the same buttons on a message everyone sees.
    const visible = await copyToChannel(bot.platform.client, double, question);
    const refusal = await double.click(grace, visible, key.right).waitForReply();
    expect(refusal.ephemeral).toBe(true);
    expect(refusal.visibleTo).toBe(grace.id);
    expect(refusal.text).toContain("This quiz belongs to someone else — start your own with /quiz.");
    expect(count("select count(*) as n from quiz_answers where run_id = ?", runId)).toBe(0);
    expect(count("select count(*) as n from score_events where user_id = ?", grace.id)).toBe(0);

    const answered = await double.click(frank, question, key.wrong).waitForReply();
    const next = buttonLabelled(answered, "Next");
    const visibleNext = await copyToChannel(bot.platform.client, double, answered);
    const refusedNext = await double.click(grace, visibleNext, next).waitForReply();
    expect(refusedNext.text).toContain("belongs to someone else");
    expect(count("select current_index as n from quiz_runs where id = ?", runId)).toBe(1);

    const second = await double.click(frank, answered, next).waitForReply();
    expect(second.text).toContain("Question 2 of 2");
    expect(count("select count(*) as n from quiz_answers where run_id = ?", runId)).toBe(1);
    double.assertNoErrors();
  });

  it("GIVEN /quiz with a lesson that does not exist THEN a polite ephemeral error names the closest lessons", async () => {
    const heidi = double.user("heidi");
    const reply = await double.slash(heidi, "quiz", { lesson: "basemodels" }).waitForReply();
    expect(reply.text).toContain("There is no lesson called “basemodels”. Did you mean `base-models`?");
    expect(reply.ephemeral).toBe(true);
    expect(count("select count(*) as n from quiz_runs where user_id = ?", heidi.id)).toBe(0);
    double.assertNoErrors();
  });
});
