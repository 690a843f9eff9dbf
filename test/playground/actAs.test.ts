import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { type App, createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { temporaryFolder } from "../support/startTestBot.ts";
import { PlaygroundSession, playgroundPrompt as prompt, rightAnswer } from "./PlaygroundSession.ts";

/*
 * `as:<name>` in the playground, in-process: the real app (database, lessons, dispatcher) and a
 * real readline reading a pipe, as `npm start` runs it without a DISCORD_TOKEN. No model is
 * needed: quizzes, progress and the leaderboard only use the database and the lessons.
 */

describe("as:<name> in the playground", () => {
  const folder = temporaryFolder("lm-tutor-playground-as-");
  const apps: App[] = [];

  async function startApp(name: string): Promise<{ app: App; databasePath: string }> {
    const databasePath = path.join(folder.dir, `${name}.sqlite`);
    const config = loadConfig({ DATABASE_PATH: databasePath, CONTENT_DIR: path.resolve("content") });
    const app = await createApp(config, createLogger("silent"), {
      editor: { edit: async () => {} },
    });
    apps.push(app);
    return { app, databasePath };
  }

  afterAll(async () => {
    for (const app of apps) await app.close();
    folder.remove();
  });

  it("GIVEN bob and carol each take a quiz with as: THEN each sees only their own question, answers it, and the leaderboard and database name both", async () => {
    const { app, databasePath } = await startApp("quiz");
    const session = new PlaygroundSession(app, path.join(folder.dir, "files"));
    await session.waitFor(prompt, 0);

    const bobsQuestion = await session.type("as:bob /quiz lesson:base-models questions:1");
    expect(bobsQuestion).toContain("(only bob sees this)");
    expect(bobsQuestion).toContain("Question 1 of 1 · Base models");
    expect(bobsQuestion).toContain("Type as:bob and a number to press a button as bob.");
    const carolsQuestion = await session.type("as:Carol /quiz lesson:base-models questions:1");
    expect(carolsQuestion).toContain("(only Carol sees this)");

    // Carol's question is the newest on screen, but bob's number still presses bob's own button.
    const bobsAnswer = await session.type(`as:bob ${rightAnswer(bobsQuestion, app.services.content)}`);
    expect(bobsAnswer).toContain("(only bob sees this)");
    expect(bobsAnswer).toContain("✅ Correct — Question 1 of 1");
    // The host has no button on screen: the newest (bob's Finish) are bob's, and the note says so.
    expect(await session.type("1")).toContain(
      "There is no button with that number on screen for you. The newest buttons are bob's, seen only by them: type as:bob and the number.",
    );
    // The same member in another case: the name keeps its first spelling.
    const carolsAnswer = await session.type(`as:carol ${rightAnswer(carolsQuestion, app.services.content)}`);
    expect(carolsAnswer).toContain("(only Carol sees this)");
    expect(carolsAnswer).toContain("✅ Correct — Question 1 of 1");

    const board = await session.type("/leaderboard");
    expect(board).not.toContain("(only");
    expect(board).toMatch(/\*?\*?1\.\*?\*? bob — 1 point/);
    expect(board).toMatch(/\*?\*?1\.\*?\*? Carol — 1 point/);
    expect(await session.type("as:bob /leaderboard")).toMatch(/bob — 1 point \(you\)/);

    const progress = await session.type("as:BOB /progress");
    expect(progress).toContain("(only bob sees this)");
    expect(progress).toContain("Progress · bob");
    expect(progress).toContain("Questions answered: 1");
    expect(await session.type("/progress member:carol")).toContain("Progress · Carol");
    await session.end();

    const saved = new Database(databasePath, { readonly: true, fileMustExist: true });
    try {
      const rows = saved
        .prepare(
          "select user_id as userId, count(*) as answers from quiz_answers group by user_id order by user_id",
        )
        .all();
      expect(rows).toEqual([
        { userId: "playground-bob", answers: 1 },
        { userId: "playground-carol", answers: 1 },
      ]);
    } finally {
      saved.close();
    }
  });

  it("GIVEN the newest message loses its buttons THEN numbers press the buttons of the one before it", async () => {
    const { app } = await startApp("handover");
    const session = new PlaygroundSession(app, path.join(folder.dir, "files"));
    await session.waitFor(prompt, 0);
    expect(await session.type("/lesson name:base-models")).toContain("[-] Previous  [2] Next");
    const question = await session.type("/quiz lesson:base-models questions:1");
    const answered = await session.type(rightAnswer(question, app.services.content));
    const finish = /\[(\d+)\] Finish/.exec(answered)?.[1] ?? "";
    expect(await session.type(finish)).toContain("Quiz finished");
    // The quiz summary has no buttons left, so 2 is the lesson's Next again.
    expect(await session.type("2")).toMatch(/Snippet 2 of \d+/);
    await session.end();
  });

  it("GIVEN as: with no name, nothing to do, an odd or overlong name THEN a clear note and nothing runs", async () => {
    const { app } = await startApp("bad");
    const session = new PlaygroundSession(app, path.join(folder.dir, "files"));
    await session.waitFor(prompt, 0);
    expect(await session.type("as: 2")).toContain("⚠️ Write the member right after as:, like as:bob 2");
    expect(await session.type("as:bob")).toContain(
      "⚠️ What should bob do? Add a command or a button number, like as:bob /quiz or as:bob 2.",
    );
    expect(await session.type("as:b@d /quiz")).toContain("⚠️ `b@d` can't be a member's name here");
    expect(await session.type(`as:${"x".repeat(33)} /quiz`)).toContain(
      "⚠️ A member's name is at most 32 characters long.",
    );
    const unknown = await session.type("as:bob /nope");
    expect(unknown).toContain("(only bob sees this)");
    expect(unknown).toContain("⚠️ There is no /nope.");
    expect(await session.type("as:bob 3")).toContain("⚠️ There is no button with that number on screen.");
    expect(await session.type("as:bob help")).toContain("as:<name> before a command or a number");
    await session.end();
    expect(session.text).not.toContain("Question 1 of");
  });
});
