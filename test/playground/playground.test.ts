import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { GrowingText } from "../support/GrowingText.ts";
import { temporaryFolder } from "../support/startTestBot.ts";

const prompt = "lm-tutor> ";
const mainFile = path.resolve("src/main.ts");
/** tsx's loader, resolved here so the playground can run from a folder without node_modules. */
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/** The real entry point, started the way `npm start` does, with a terminal driven by the test. */
class PlaygroundProcess {
  readonly #stdout = new GrowingText();
  stderr = "";
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly #child: ChildProcessWithoutNullStreams;

  constructor(cwd: string, env: NodeJS.ProcessEnv) {
    this.#child = spawn(process.execPath, ["--import", tsxLoader, mainFile], { cwd, env });
    this.#child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      this.#stdout.append(chunk);
    });
    this.#child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((resolve) => {
      this.#child.once("exit", (code, signal) => {
        resolve({ code, signal });
        this.#stdout.recheck();
      });
    });
  }

  /** Everything the playground printed on stdout so far. */
  get stdout(): string {
    return this.#stdout.text;
  }

  /** Resolves with the output after `from` once it contains `pattern`. */
  waitForOutput(pattern: string, from = 0, timeoutMs = 15_000): Promise<string> {
    return this.#stdout.waitFor(pattern, from, timeoutMs, () =>
      this.#child.exitCode !== null ? "the playground exited" : undefined,
    );
  }

  /** Types one line and resolves with what the playground printed before its next prompt. */
  async type(line: string): Promise<string> {
    const from = this.stdout.length;
    this.#child.stdin.write(`${line}\n`);
    return this.waitForOutput(prompt, from);
  }

  /** Presses Ctrl-D: closes the input. */
  endInput(): void {
    this.#child.stdin.end();
  }

  kill(signal: NodeJS.Signals): void {
    this.#child.kill(signal);
  }
}

describe("the terminal playground (real entry point)", () => {
  const started: { folder: ReturnType<typeof temporaryFolder>; playground: PlaygroundProcess }[] = [];

  /** Starts `src/main.ts` in an empty folder with no DISCORD_TOKEN and a database in that folder. */
  function startPlayground(): { playground: PlaygroundProcess; databasePath: string; dir: string } {
    const folder = temporaryFolder("lm-tutor-playground-");
    const databasePath = path.join(folder.dir, "data", "playground.sqlite");
    const { DISCORD_TOKEN: _token, ...inherited } = process.env;
    const playground = new PlaygroundProcess(folder.dir, {
      ...inherited,
      DATABASE_PATH: databasePath,
      CONTENT_DIR: path.resolve("content"),
      NO_COLOR: "1",
    });
    started.push({ folder, playground });
    return { playground, databasePath, dir: folder.dir };
  }

  afterEach(async () => {
    for (const { folder, playground } of started.splice(0)) {
      playground.kill("SIGKILL");
      await playground.exited;
      folder.remove();
    }
  });

  it("GIVEN no DISCORD_TOKEN THEN the banner says how to connect, typed commands and numbered buttons run a lesson and a quiz, and end of input exits 0", async () => {
    const { playground, databasePath, dir } = startPlayground();

    const banner = await playground.waitForOutput(prompt);
    expect(banner).toContain("LM Tutor — terminal playground");
    expect(banner).toContain("No DISCORD_TOKEN is set");
    expect(banner).toContain("To connect to Discord, set DISCORD_TOKEN (see README: Connecting to Discord)");

    const list = await playground.type("/lesson");
    expect(list).toMatch(/You have read 0 of \d+ lessons\./);
    expect(list).toContain("· Base models (`base-models`)");

    const lesson = await playground.type("/lesson name:base-models");
    expect(lesson).toContain("┌─ Base models");
    expect(lesson).toMatch(/Snippet 1 of \d+ · Foundations/);
    // A button keeps its number while its message changes: Next is [2] on every page.
    expect(lesson).toContain("[-] Previous  [2] Next");

    const next = await playground.type("2");
    expect(next).toContain("(updated)");
    expect(next).toMatch(/Snippet 2 of \d+ · Foundations/);
    expect(next).toContain("[1] Previous  [2] Next");

    const question = await playground.type("/quiz lesson:base-models questions:2");
    expect(question).toContain("Question 1 of 2 · Base models");
    expect(question).toMatch(/\[1\] A {2}\[2\] B/);

    const firstAnswer = await playground.type("1");
    expect(firstAnswer).toMatch(/(✅ Correct|❌ Not quite) — Question 1 of 2/);
    expect(firstAnswer).toMatch(/Score so far: [01] of 1/);
    // Next is new on this message, so it gets a new number: a second "1" typed in haste presses nothing.
    const nextNumber = /\[(\d+)\] Next/.exec(firstAnswer)?.[1] ?? "";
    expect(Number(nextNumber)).toBeGreaterThan(2);
    expect(await playground.type("1")).toContain("⚠️ There is no button with that number on screen.");

    const secondQuestion = await playground.type(nextNumber);
    expect(secondQuestion).toContain("Question 2 of 2 · Base models");
    expect(secondQuestion).toMatch(/\[1\] A {2}\[2\] B/);
    const secondAnswer = await playground.type("2");
    expect(secondAnswer).toMatch(/— Question 2 of 2/);
    const finishNumber = /\[(\d+)\] Finish/.exec(secondAnswer)?.[1] ?? "";
    expect(Number(finishNumber)).toBeGreaterThan(Number(nextNumber));

    const summary = await playground.type(finishNumber);
    expect(summary).toContain("Quiz finished · Base models");
    expect(summary).toMatch(/You got [012] of 2 right \(\d+% accuracy\)/);

    const progress = await playground.type("/progress");
    expect(progress).toContain("Progress · you");
    expect(progress).toContain("Questions answered: 2");
    expect(progress).toContain("Quizzes finished: 1");
    const card = /\(file written to (.+\.png)\)/.exec(progress)?.[1];
    expect(card?.startsWith(path.join(dir, "playground-output"))).toBe(true);
    expect(existsSync(card ?? "")).toBe(true);

    expect(await playground.type("/nope")).toContain(
      "⚠️ There is no /nope. Commands: /lesson, /quiz, /review, /progress, /leaderboard",
    );
    expect(await playground.type("/quiz questions:50")).toContain(
      "⚠️ The option questions must be at most 20.",
    );
    expect(await playground.type("/lesson base-models")).toContain(
      "⚠️ I couldn't read `base-models`. Write options as name:value",
    );
    expect(await playground.type("7")).toContain("⚠️ There is no button with that number on screen.");
    expect(await playground.type("hello")).toContain("⚠️ Commands start with a slash, like /lesson.");

    playground.endInput();
    expect(await playground.exited).toEqual({ code: 0, signal: null });
    expect(playground.stderr).not.toMatch(/"level":(50|60)/);
    const saved = new Database(databasePath, { readonly: true, fileMustExist: true });
    try {
      const answers = saved.prepare("select count(*) as n from quiz_answers").get() as { n: number };
      expect(answers.n).toBe(2);
    } finally {
      saved.close();
    }
  });

  it("GIVEN a running playground WHEN it gets SIGTERM THEN it closes cleanly and exits 0", async () => {
    const { playground } = startPlayground();
    await playground.waitForOutput(prompt);
    expect(await playground.type("/lesson name:chat-templates")).toContain("Snippet 1 of");

    playground.kill("SIGTERM");

    expect(await playground.exited).toEqual({ code: 0, signal: null });
    expect(playground.stderr).not.toMatch(/"level":(50|60)/);
  });
});
