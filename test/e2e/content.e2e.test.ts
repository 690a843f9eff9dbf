import { cpSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ContentLibrary } from "../../src/lessons/content.ts";
import { loadContent } from "../../src/lessons/loadContent.ts";
import { DiscordDouble } from "../discord/DiscordDouble.ts";
import { startTestBot, type TestBot, temporaryFolder } from "../support/startTestBot.ts";

/** A lesson whose YAML does not even parse: the quote on the title is never closed. */
const brokenLesson = `id: broken-lesson
title: "Broken lesson
summary: This file is malformed on purpose.
order: 99
snippets: []
quiz: []
`;

describe("a malformed lesson file through the Discord double", () => {
  const folder = temporaryFolder();
  const contentDir = path.join(folder.dir, "content");
  let double: DiscordDouble;
  let bot: TestBot;
  /** The lessons as shipped, without the broken file. */
  let shipped: ContentLibrary;

  beforeAll(async () => {
    shipped = await loadContent(path.resolve("content"));
    cpSync(path.resolve("content"), contentDir, { recursive: true });
    writeFileSync(path.join(contentDir, "foundations", "broken-lesson.yaml"), brokenLesson);
    double = await DiscordDouble.start();
    bot = await startTestBot(double, { databasePath: path.join(folder.dir, "bot.sqlite"), contentDir });
  });

  afterAll(async () => {
    await bot?.stop();
    await double?.close();
    folder.remove();
  });

  it("GIVEN a broken lesson file THEN the bot starts, the good lessons load and the broken one is reported", () => {
    const content = bot.app.services.content;
    expect(shipped.problems).toEqual([]);
    expect(content.allLessons().map((lesson) => lesson.id)).toEqual(
      shipped.allLessons().map((lesson) => lesson.id),
    );
    expect(content.problems.map((problem) => problem.file)).toEqual([
      path.join("foundations", "broken-lesson.yaml"),
    ]);
    double.assertNoErrors();
  });

  it("GIVEN /lesson THEN the good lessons are listed and the broken one is absent", async () => {
    const list = await double.slash(double.user("alice"), "lesson").waitForReply();
    const lessons = shipped.allLessons();
    expect(list.text).toContain(`You have read 0 of ${lessons.length} lessons.`);
    for (const lesson of lessons) expect(list.text).toContain(`**${lesson.title}** (\`${lesson.id}\`)`);
    expect(list.text).not.toContain("broken");
    expect(list.text).not.toContain("Broken");
    double.assertNoErrors();
  });

  it("GIVEN the broken lesson's name THEN autocomplete does not offer it and opening it is a polite error", async () => {
    const alice = double.user("alice");
    expect(await double.autocomplete(alice, "lesson", "name", "broken")).toEqual([]);
    const reply = await double.slash(alice, "lesson", { name: "broken-lesson" }).waitForReply();
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toContain("There is no lesson called “broken-lesson”.");
    const good = await double.slash(alice, "quiz", { lesson: "base-models", questions: 1 }).waitForReply();
    expect(good.text).toContain("Question 1 of 1 · Base models");
    double.assertNoErrors();
  });
});
