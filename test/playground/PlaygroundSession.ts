import path from "node:path";
import { PassThrough } from "node:stream";
import { type App, createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import type { ContentLibrary } from "../../src/lessons/content.ts";
import { createLogger } from "../../src/logger.ts";
import { type Playground, startPlayground } from "../../src/playground/startPlayground.ts";
import { GrowingText } from "../support/GrowingText.ts";

export const playgroundPrompt = "lm-tutor> ";

/** The playground on a pipe: each typed line resolves with what it printed before the next prompt. */
export class PlaygroundSession {
  readonly #output = new GrowingText();
  readonly input = new PassThrough();
  readonly output = new PassThrough();
  readonly playground: Playground;

  constructor(app: App, filesDir: string) {
    this.output.setEncoding("utf8").on("data", (chunk: string) => {
      this.#output.append(chunk);
    });
    this.playground = startPlayground({
      dispatcher: app.dispatcher,
      input: this.input,
      output: this.output,
      filesDir,
      color: false,
    });
  }

  /**
   * The real app on a fresh database in `folder` (the repository's lessons, no models), with a
   * session on it whose edits (timers, throttled counts) reach the screen; resolves at the first
   * prompt. The caller closes the app.
   */
  static async open(folder: string): Promise<{ app: App; session: PlaygroundSession }> {
    const config = loadConfig({
      DATABASE_PATH: path.join(folder, "playground.sqlite"),
      CONTENT_DIR: path.resolve("content"),
    });
    let session: PlaygroundSession | undefined;
    const app = await createApp(config, createLogger("silent"), {
      editor: { edit: async (address, view) => session?.playground.editor.edit(address, view) },
    });
    session = new PlaygroundSession(app, path.join(folder, "files"));
    await session.waitFor(playgroundPrompt, 0);
    return { app, session };
  }

  /** Everything the playground printed so far. */
  get text(): string {
    return this.#output.text;
  }

  /** Resolves with the output after `from` once it holds `pattern`. */
  waitFor(pattern: string, from: number, timeoutMs = 15_000): Promise<string> {
    return this.#output.waitFor(pattern, from, timeoutMs);
  }

  async type(line: string): Promise<string> {
    const from = this.text.length;
    this.input.write(`${line}\n`);
    return this.waitFor(playgroundPrompt, from);
  }

  /**
   * Types one line and resolves with everything printed since, once that holds `pattern`: for
   * output that arrives after the prompt (a message edited by a timer or a later click).
   */
  async typeUntil(line: string, pattern: string): Promise<string> {
    const from = this.text.length;
    this.input.write(`${line}\n`);
    await this.waitFor(pattern, from);
    return this.text.slice(from);
  }

  async end(): Promise<void> {
    this.input.end();
    await this.playground.finished;
  }
}

/** The button number of the right choice of the question on screen, read from the lesson's content. */
export function rightAnswer(screen: string, content: ContentLibrary): string {
  const prompts = new Map(
    content.allLessons().flatMap((lesson) => lesson.questions.map((question) => [question.prompt, question])),
  );
  const lines = screen.split("\n").map((line) => line.replace(/^│ ?/, ""));
  const question = lines.map((line) => prompts.get(line)).find((found) => found !== undefined);
  if (!question) throw new Error(`no known question on screen:\n${screen}`);
  const right = question.choices.find((choice) => choice.correct)?.text;
  const letter = lines
    .map((line) => /^([A-E])\. (.*)$/.exec(line))
    .find((match) => match?.[2] === right)?.[1];
  const number = letter && new RegExp(`\\[(\\d+)\\] ${letter}\\b`).exec(screen)?.[1];
  if (!number) throw new Error(`no button for the right answer on screen:\n${screen}`);
  return number;
}
