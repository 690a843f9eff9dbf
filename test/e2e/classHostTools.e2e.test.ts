import { ComponentType, PermissionFlagsBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiscordDouble, type DoubleUser, type StoredMessage } from "../discord/DiscordDouble.ts";
import { walkComponents } from "../discord/validateMessage.ts";
import { answerKey, buttonLabelled, buttonsOf } from "../support/answerKey.ts";
import { ManualScheduler } from "../support/manualScheduler.ts";
import { startTestBot, type TestBot } from "../support/startTestBot.ts";

/*
 * The host's tools around a class, through the Discord double. `/class history`: after two
 * classes have ended, a host lists them (privately), filters by lesson, and re-opens one's final
 * scoreboard and summary card from the menu; a class that vanished meanwhile is refused politely.
 * `/class stage`: in a busy channel the stage scrolls away, so the host posts it again at the
 * bottom; the old one loses its controls, and every later edit lands on the new one. Skip: a
 * host voids a mistaken question; its answers pay nothing and write no review card.
 */

function isQuestion(message: StoredMessage): boolean {
  return /^Question \d+ of \d+/.test(message.embeds[0]?.title ?? "");
}

function fieldOf(message: StoredMessage, name: string): string | undefined {
  return message.embeds[0]?.fields?.find((field) => field.name === name)?.value;
}

function current(double: DiscordDouble, message: StoredMessage): StoredMessage {
  const found = double.messages.find((candidate) => candidate.id === message.id);
  if (!found) throw new Error(`message ${message.id} is gone`);
  return found;
}

function historyMenu(message: StoredMessage): {
  customId: string;
  options: { label: string; value: string }[];
} {
  for (const { component } of walkComponents(message.components)) {
    if (component.type === ComponentType.StringSelect && typeof component.custom_id === "string")
      return {
        customId: component.custom_id,
        options: (component.options ?? []) as { label: string; value: string }[],
      };
  }
  throw new Error("no menu on the message");
}

describe("/class history and /class stage through the Discord double", () => {
  let double: DiscordDouble;
  let bot: TestBot;
  let host: DoubleUser;

  beforeAll(async () => {
    double = await DiscordDouble.start();
    bot = await startTestBot(double, { classScheduler: new ManualScheduler() });
    host = double.user("teacher");
    double.grant(host, PermissionFlagsBits.ManageMessages);
  });

  afterAll(async () => {
    await bot?.stop();
    await double?.close();
  });

  async function runClass(lesson: string, room: DoubleUser[], rightCount: number): Promise<void> {
    const stage = await double
      .slash(host, "class", { lesson, questions: 1 }, { subcommand: "start" })
      .waitForReply();
    const question = await double
      .click(host, stage, buttonLabelled(stage, "Question"))
      .waitForReply(isQuestion);
    const key = answerKey(question, bot.app.services.content);
    await Promise.all(
      room.map((member, index) =>
        double.click(member, question, index < rightCount ? key.right : key.wrong).waitForReply(),
      ),
    );
    await double.click(host, question, buttonLabelled(question, /^Reveal/)).waitForReply();
    await double.slash(host, "class", {}, { subcommand: "end" }).waitForReply();
  }

  it("GIVEN two ended classes THEN the host sees them privately, newest first, and re-opens one's summary card", async () => {
    const room = ["ada", "bob", "cy", "dee"].map((name) => double.user(name));
    await runClass("base-models", room, 3);
    await runClass("tokens-and-tokenizers", room.slice(0, 2), 0);

    // A member without Manage Messages is not offered /class, history included.
    expect(() => double.slash(room[0] as DoubleUser, "class", {}, { subcommand: "history" })).toThrow(
      /lacks the permissions/,
    );

    const history = await double.slash(host, "class", {}, { subcommand: "history" }).waitForReply();
    expect(history.ephemeral).toBe(true);
    expect(history.embeds[0]?.title).toBe("Past classes");
    const text = history.text;
    expect(text.indexOf("Tokens and tokenizers")).toBeLessThan(text.indexOf("Base models"));
    expect(text).toMatch(
      /\*\*1\. Tokens and tokenizers\*\* · \d{4}-\d\d-\d\d \d\d:\d\d UTC · hosted by Teacher/,
    );
    expect(text).toContain("2 participants · 1 question · 0% right · ended by the host");
    expect(text).toContain("4 participants · 1 question · 75% right · ended by the host");
    expect(text).toContain("Hardest (75% right): ");
    const menu = historyMenu(history);
    expect(menu.options.map((option) => option.label)).toEqual([
      "1. Tokens and tokenizers",
      "2. Base models",
    ]);

    const filtered = await double
      .slash(host, "class", { lesson: "base-models" }, { subcommand: "history" })
      .waitForReply();
    expect(filtered.embeds[0]?.title).toBe("Past classes of “Base models”");
    expect(historyMenu(filtered).options).toHaveLength(1);
    const choices = await double.autocomplete(host, "class", "lesson", "base", {
      subcommand: "history",
    });
    expect(choices.map((choice) => choice.value)).toContain("base-models");

    const baseModels = menu.options[1]?.value ?? "";
    const past = await double.select(host, history, menu.customId, baseModels).waitForReply();
    expect(past.ephemeral).toBe(true);
    expect(past.text).toContain("Class over · Base models");
    expect(past.text).toContain("**4** participants · **1** question");
    expect(past.text).toMatch(/\*\*1\.\*\* <@\d+> · \d+ pts · 1\/1 right/);
    const card = past.attachments.find((file) => file.filename === "class-summary.png");
    expect(card?.description).toMatch(/^Class summary of “Base models”, hosted by Teacher/);
    expect(past.allowedMentions?.parse ?? []).toEqual([]);

    // The class vanished since the list was drawn (say, a database restored from a backup).
    bot.app.database.sqlite.prepare("delete from classes where id = ?").run(baseModels);
    const stale = await double.select(host, history, menu.customId, baseModels).waitForReply();
    expect(stale.ephemeral).toBe(true);
    expect(stale.text).toContain("no longer on record");
    double.assertNoErrors();
  });

  it("GIVEN a lesson with no ended class THEN history says so", async () => {
    const empty = await double
      .slash(host, "class", { lesson: "system-prompts" }, { subcommand: "history" })
      .waitForReply();
    expect(empty.ephemeral).toBe(true);
    expect(empty.text).toContain("No class of “");
    double.assertNoErrors();
  });

  it("GIVEN a running class WHEN the host posts the stage again THEN the old one points down and the new one gets every later edit", async () => {
    const first = await double
      .slash(host, "class", { lesson: "base-models", questions: 1 }, { subcommand: "start" })
      .waitForReply();
    const other = double.user("other-teacher");
    double.grant(other, PermissionFlagsBits.ManageMessages);
    const refused = await double.slash(other, "class", {}, { subcommand: "stage" }).waitForReply();
    expect(refused.ephemeral).toBe(true);
    expect(refused.text).toContain("Only the host, Teacher");

    const stage = await double.slash(host, "class", {}, { subcommand: "stage" }).waitForReply();
    expect(stage.ephemeral).toBe(false);
    expect(stage.embeds[0]?.title).toBe("Class · Base models");
    expect(buttonsOf(stage).map((button) => button.label)).toContain("Question");
    const moved = await double.waitFor(
      (message) => message.id === first.id && message.text.includes("The stage moved further down"),
    );
    expect(buttonsOf(moved)).toEqual([]);

    const page2 = await double.click(host, stage, buttonLabelled(stage, "Next ▶")).waitForReply();
    expect(page2.id).toBe(stage.id);
    expect(page2.embeds[0]?.footer?.text).toMatch(/^Page 2 of /);

    const question = await double
      .click(host, stage, buttonLabelled(stage, "Question"))
      .waitForReply(isQuestion);
    const key = answerKey(question, bot.app.services.content);
    await double.click(double.user("ada"), question, key.right).waitForReply();
    await double.click(host, question, buttonLabelled(question, /^Reveal/)).waitForReply();
    await double.waitFor((message) => message.id === stage.id && fieldOf(message, "Joined") === "1");

    await double.slash(host, "class", {}, { subcommand: "end" }).waitForReply();
    await double.waitFor((message) => message.id === stage.id && message.text.includes("Class ended"));
    expect(current(double, first).text).toContain("The stage moved further down");
    double.assertNoErrors();
  });

  it("GIVEN a member's right answer WHEN the host skips the question THEN it pays nothing, writes no card, and the next question is another one", async () => {
    const stage = await double
      .slash(host, "class", { lesson: "base-models", questions: 2 }, { subcommand: "start" })
      .waitForReply();
    const question = await double
      .click(host, stage, buttonLabelled(stage, "Question"))
      .waitForReply(isQuestion);
    expect(buttonsOf(question).map((button) => button.label)).toContain("Skip (host)");
    const key = answerKey(question, bot.app.services.content);
    const skipper = double.user("skip-learner");
    await double.click(skipper, question, key.right).waitForReply();

    const notHost = await double
      .click(skipper, question, buttonLabelled(question, "Skip (host)"))
      .waitForReply();
    expect(notHost.ephemeral).toBe(true);
    expect(notHost.text).toContain("Only the host, Teacher");

    const skipped = await double
      .click(host, question, buttonLabelled(question, "Skip (host)"))
      .waitForReply();
    expect(skipped.id).toBe(question.id);
    expect(skipped.text).toContain("Skipped by the host");
    expect(buttonsOf(skipped).map((button) => button.label)).toEqual([
      "Next question (host)",
      "Scoreboard (host)",
    ]);
    // The choices are gone from the message (a click still on screen is told it was skipped: unit tests).
    expect(skipped.customIds.some((id) => id.startsWith("class:answer:"))).toBe(false);
    await double.waitFor(
      (message) =>
        message.id === stage.id && fieldOf(message, "Questions") === "1 of 2 (1 skipped) · 20 s each",
    );

    const board = await double.slash(skipper, "leaderboard").waitForReply();
    expect(board.text).not.toContain(`<@${skipper.id}>`);
    const review = await double.slash(skipper, "review").waitForReply();
    expect(review.text).toContain("Nothing to review yet");
    const cards = bot.app.database.sqlite
      .prepare("select count(*) as n from review_cards where user_id = ?")
      .get(skipper.id) as { n: number };
    expect(cards.n).toBe(0);

    const next = await double
      .click(host, skipped, buttonLabelled(skipped, "Next question (host)"))
      .waitForReply(isQuestion);
    expect(next.embeds[0]?.title).toMatch(/^Question 2 of 2/);
    expect(answerKey(next, bot.app.services.content).question.id).not.toBe(key.question.id);
    const last = await double.click(host, next, buttonLabelled(next, "Skip (host)")).waitForReply();
    expect(buttonsOf(last).map((button) => button.label)).toEqual(["Scoreboard (host)", "End class (host)"]);
    const scores = await double.click(host, last, buttonLabelled(last, "Scoreboard (host)")).waitForReply();
    expect(scores.text).not.toContain(`<@${skipper.id}>`);
    await double.slash(host, "class", {}, { subcommand: "end" }).waitForReply();
    double.assertNoErrors();
  });

  it("GIVEN no class in the channel THEN /class stage says so politely", async () => {
    const none = await double.slash(host, "class", {}, { subcommand: "stage" }).waitForReply();
    expect(none.ephemeral).toBe(true);
    expect(none.text).toContain("No class is running in this channel");
    double.assertNoErrors();
  });
});
