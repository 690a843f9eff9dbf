import { PermissionFlagsBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiscordDouble, type DoubleUser, type StoredMessage } from "../discord/DiscordDouble.ts";
import { answerKey, buttonLabelled, buttonsOf } from "../support/answerKey.ts";
import { ManualScheduler } from "../support/manualScheduler.ts";
import { startTestBot, type TestBot } from "../support/startTestBot.ts";

/*
 * `/class stage` through the Discord double: in a busy channel the stage scrolls away, so the host
 * posts it again at the bottom; the old one loses its controls, and every later edit (a page, the
 * joined count after a reveal, the end) lands on the new one.
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

describe("/class stage through the Discord double", () => {
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

  it("GIVEN no class in the channel THEN /class stage says so politely", async () => {
    const none = await double.slash(host, "class", {}, { subcommand: "stage" }).waitForReply();
    expect(none.ephemeral).toBe(true);
    expect(none.text).toContain("No class is running in this channel");
    double.assertNoErrors();
  });
});
