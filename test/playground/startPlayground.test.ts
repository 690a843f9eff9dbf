import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { type Playground, startPlayground } from "../../src/playground/startPlayground.ts";
import { temporaryFolder } from "../support/startTestBot.ts";
import { type TinyCompareModels, writeTinyCompareModels } from "../support/tinyCompareModels.ts";
import { VirtualTerminal } from "./VirtualTerminal.ts";

/*
 * The playground in-process: the real app (database, lessons, dispatcher) on the tiny self-built
 * models, and a real readline reading a PassThrough. The base side loops `lalala…` until
 * max_tokens (about 1,500 tokens a second on one thread), so a 8,000-token run streams for seconds.
 */

/** Keyboard input; `isTTY` makes readline treat it as a terminal (raw keys: Tab, Ctrl-C). */
class Keyboard extends PassThrough {
  constructor(readonly isTTY: boolean) {
    super();
  }
}

/** Output to a pipe, kept as text. */
class Pipe extends PassThrough {
  text = "";
  constructor() {
    super();
    this.setEncoding("utf8").on("data", (chunk: string) => {
      this.text += chunk;
    });
  }
}

/** Resolves once `read()` satisfies `done`; rejects after `timeoutMs` with what was read. */
function waitFor<T>(
  stream: NodeJS.EventEmitter,
  read: () => T,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const value = read();
      if (!done(value)) return;
      cleanup();
      resolve(value);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`gave up waiting; last read:\n${String(read())}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      stream.off("data", onData);
    };
    // After the listener that records the chunk has run.
    const onData = () => setImmediate(check);
    stream.on("data", onData);
    check();
  });
}

const streamingPrompt = '/compare prompt:"Once upon a time" max_tokens:8000 temperature:0';
/** The base side is still generating, and Stop can be pressed. */
const streamingStop = /generating…[^┌]*\[(\d+)\] Stop\n[^┌]*$/;

describe("the playground in-process, on the tiny models", () => {
  const folder = temporaryFolder("lm-tutor-playground-");
  let models: TinyCompareModels;
  const apps: App[] = [];

  async function startApp(name: string): Promise<App> {
    const config = loadConfig({
      ...models.env,
      DATABASE_PATH: path.join(folder.dir, `${name}.sqlite`),
      CONTENT_DIR: path.resolve("content"),
      COMPARE_MAX_TOKENS_LIMIT: "8000",
      COMPARE_COOLDOWN_SECONDS: "0",
    });
    // As main.ts does: the app edits messages through the playground opened on it.
    const app = await createApp(config, createLogger("silent"), {
      editor: { edit: async (address, view) => playgrounds.get(app)?.editor.edit(address, view) },
    });
    apps.push(app);
    await app.pairs.whenSettled();
    return app;
  }

  const playgrounds = new Map<App, Playground>();

  function open(app: App, keyboard: Keyboard, output: NodeJS.WritableStream): Playground {
    const playground = startPlayground({
      dispatcher: app.dispatcher,
      input: keyboard,
      output,
      filesDir: path.join(folder.dir, "files"),
      color: false,
    });
    playgrounds.set(app, playground);
    return playground;
  }

  beforeAll(async () => {
    models = await writeTinyCompareModels({ contextLength: 8192 });
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await models?.remove();
    folder.remove();
  });

  it("GIVEN /progress member:bob THEN the playground shows Bob's record", async () => {
    const app = await startApp("member");
    const keyboard = new Keyboard(false);
    const output = new Pipe();
    const playground = open(app, keyboard, output);
    keyboard.write("/progress member:bob\n");
    await waitFor(
      output,
      () => output.text,
      (text) => text.includes("Progress · bob") && text.includes("Lessons read"),
    );
    keyboard.end();
    await playground.finished;
    expect(output.text).not.toContain("⚠️");
  });

  it("GIVEN a blind /compare vote WHEN bob and carol vote with as: and the author reveals THEN the reveal and the leaderboard name the right voter", async () => {
    const app = await startApp("blind");
    const keyboard = new Keyboard(false);
    const output = new Pipe();
    const playground = open(app, keyboard, output);
    /** Types a line and waits until what it printed satisfies `done`. */
    const type = (line: string, done: (text: string) => boolean) => {
      const from = output.text.length;
      keyboard.write(`${line}\n`);
      return waitFor(output, () => output.text.slice(from), done);
    };

    const opened = await type(
      '/compare prompt:"Once upon a time" max_tokens:16 temperature:0 blind:true',
      (text) => /\[(\d+)\] B is the base model/.test(text),
    );
    const voteA = /\[(\d+)\] A is the base model/.exec(opened)?.[1] ?? "";
    const voteB = /\[(\d+)\] B is the base model/.exec(opened)?.[1] ?? "";
    const reveal = /\[(\d+)\] Reveal/.exec(opened)?.[1] ?? "";

    const bobs = await type(`as:bob ${voteA}`, (text) => text.includes("Your vote is in"));
    expect(bobs).toContain("(only bob sees this)");
    expect(bobs).toContain("Your vote is in: you think Reply A came from the base model.");
    const carols = await type(`as:carol ${voteB}`, (text) => text.includes("Your vote is in"));
    expect(carols).toContain("(only carol sees this)");
    // Only the author may reveal early: bob is told so, privately.
    expect(await type(`as:bob ${reveal}`, (text) => text.includes("⚠️"))).toContain("(only bob sees this)");

    const revealed = await type(reveal, (text) => text.includes("Revealed:"));
    const baseLetter = /Reply ([AB]) came from the base model/.exec(revealed)?.[1];
    const rightVoter = baseLetter === "A" ? "bob" : "carol";
    expect(revealed).toContain("Votes: A 1 · B 1.");
    // Members are named as typed, not by their ids.
    expect(revealed).toContain(`Right: ${rightVoter} (+2 points each).`);
    expect(revealed).not.toContain("playground-");

    const board = await type("/leaderboard", (text) => text.includes("Leaderboard"));
    expect(board).toContain(`${rightVoter} — 2 points`);
    expect(board).not.toContain(rightVoter === "bob" ? "carol —" : "bob —");
    keyboard.end();
    await playground.finished;
  });

  it("GIVEN a lesson's Try it buttons THEN its template and tokenize demos print in the terminal", async () => {
    const app = await startApp("demos");
    const keyboard = new Keyboard(false);
    const output = new Pipe();
    const playground = open(app, keyboard, output);

    keyboard.write("/lesson name:chat-templates\n");
    const page = await waitFor(
      output,
      () => output.text,
      (text) => /\[(\d+)\] Try it: \/template/.test(text),
    );
    const template = /\[(\d+)\] Try it: \/template/.exec(page)?.[1] ?? "";
    const from = output.text.length;
    keyboard.write(`${template}\n`);
    await waitFor(
      output,
      () => output.text.slice(from),
      (text) => text.includes("Chat template of") && text.includes("<|im_start|>"),
    );
    keyboard.write("/tokenize text:strawberry\n");
    await waitFor(
      output,
      () => output.text.slice(from),
      (text) => text.includes("How the models see your text") && text.includes("tokens"),
    );
    keyboard.end();
    await playground.finished;
  });

  it("GIVEN /compare is streaming WHEN the member types Stop's number THEN the run stops at once", async () => {
    const app = await startApp("stop");
    const keyboard = new Keyboard(false);
    const output = new Pipe();
    const playground = open(app, keyboard, output);

    keyboard.write(`${streamingPrompt}\n`);
    const streaming = await waitFor(
      output,
      () => output.text,
      (text) => streamingStop.test(text),
    );
    const stop = streamingStop.exec(streaming)?.[1] ?? "";
    const from = output.text.length;
    keyboard.write(`${stop}\n`);

    await waitFor(
      output,
      () => output.text.slice(from),
      (text) => text.includes("ended: stopped by the user"),
    );
    keyboard.end();
    await playground.finished;
    // Nothing ran to max_tokens, and Re-roll was not pressed: no run streams after the stop.
    expect(output.text).not.toContain("ended: max tokens");
    expect(output.text.slice(output.text.indexOf("stopped by the user"))).not.toContain("generating…");
    await playground.finished;
  });

  it("GIVEN /compare is streaming WHEN the member presses Ctrl-C THEN the playground ends at once and shutting down stops the run", async () => {
    const app = await startApp("interrupt");
    const keyboard = new Keyboard(true);
    const terminal = new VirtualTerminal();
    const playground = open(app, keyboard, terminal);

    keyboard.write(`${streamingPrompt}\r`);
    await waitFor(
      terminal,
      () => terminal.raw,
      (raw) => raw.includes("generating…"),
    );
    keyboard.write("\x03");
    await playground.finished;

    // The run was still going when the playground ended; main's shutdown (app.close) stops it.
    expect(app.dispatcher.busy).toBeGreaterThan(0);
    await app.close();
    expect(app.dispatcher.busy).toBe(0);
    expect(terminal.raw).not.toContain("ended: max tokens");
  });

  it("GIVEN a half-typed line WHEN a timer's reveal arrives THEN it prints above, and the prompt comes back with the typed text", async () => {
    const app = await startApp("redraw");
    const keyboard = new Keyboard(true);
    const terminal = new VirtualTerminal();
    const playground = open(app, keyboard, terminal);
    keyboard.write("/les");
    await waitFor(
      terminal,
      () => terminal.cursorLine(),
      (line) => line === "lm-tutor> /les",
    );

    await playground.editor.edit(
      { channelId: "terminal", messageId: "m1" },
      {
        embeds: [{ title: "Blind vote · revealed", description: "**Reply A** was the base model." }],
      },
    );
    await new Promise((resolve) => setImmediate(resolve));

    const lines = terminal.lines();
    expect(lines.slice(-5)).toEqual([
      "(updated)",
      "┌─ Blind vote · revealed",
      "│ Reply A was the base model.",
      "└─",
      "lm-tutor> /les",
    ]);
    expect(lines.filter((line) => line.startsWith("lm-tutor>"))).toEqual(["lm-tutor> /les"]);

    keyboard.write("son\r");
    await waitFor(
      terminal,
      () => terminal.lines().join("\n"),
      (screen) => screen.includes("You have read 0 of"),
    );
    expect(terminal.lines()).toContain("lm-tutor> /lesson");
    keyboard.end();
    await playground.finished;
  });

  it("GIVEN Tab THEN it completes the command, an option name, and a lesson name from the command's autocomplete", async () => {
    const app = await startApp("complete");
    const keyboard = new Keyboard(true);
    const terminal = new VirtualTerminal();
    const playground = open(app, keyboard, terminal);
    const typed = (expected: string) =>
      waitFor(
        terminal,
        () => terminal.cursorLine(),
        (line) => line === `lm-tutor> ${expected}`,
        5_000,
      );

    keyboard.write("/les\t");
    await typed("/lesson");
    keyboard.write(" na\t");
    await typed("/lesson name:");
    keyboard.write("chat-templ\t");
    await typed("/lesson name:chat-templates");
    keyboard.write("\r");
    await waitFor(
      terminal,
      () => terminal.lines().join("\n"),
      (screen) => screen.includes("┌─ Chat templates"),
    );
    keyboard.end();
    await playground.finished;
  });
});
