import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { createPairDownloadOffer } from "../../src/pairs/createPairDownloadOffer.ts";
import { LOCAL_FILE_ADVICE } from "../../src/pairs/DownloadFailure.ts";
import { checkPairFiles } from "../../src/pairs/downloadPairFiles.ts";
import { defaultPair } from "../../src/pairs/loadPairCatalogue.ts";
import { type Playground, startPlayground } from "../../src/playground/startPlayground.ts";
import { closedLoopbackPort, type FakeModelHost, startFakeModelHost } from "../support/fakeModelHost.ts";
import { temporaryFolder } from "../support/startTestBot.ts";
import { type TinyCompareModels, writeTinyCompareModels } from "../support/tinyCompareModels.ts";
import { TINY_REPLY } from "../support/tinyGguf.ts";

/*
 * `npm start` on a machine without the default pair's files: the playground asks, with the size,
 * before the first model command, downloads from a stand-in for Hugging Face on 127.0.0.1 (the
 * tiny self-built models as the pair's files), then the models load and the command runs.
 */

/** Output to a pipe, kept as text; resolves waiters as text arrives. */
class Pipe extends PassThrough {
  text = "";
  constructor() {
    super();
    this.setEncoding("utf8").on("data", (chunk: string) => {
      this.text += chunk;
    });
  }

  until(done: (text: string) => boolean, timeoutMs = 30_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!done(this.text)) return;
        cleanup();
        resolve(this.text);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`gave up waiting; output so far:\n${this.text}`));
      }, timeoutMs);
      const onData = () => setImmediate(check);
      const cleanup = () => {
        clearTimeout(timer);
        this.off("data", onData);
      };
      this.on("data", onData);
      check();
    });
  }
}

describe("the playground's offer to download the default pair", () => {
  const folder = temporaryFolder("lm-tutor-offer-");
  let models: TinyCompareModels;
  let host: FakeModelHost;
  const apps: App[] = [];
  let run = 0;

  beforeAll(async () => {
    models = await writeTinyCompareModels();
    host = await startFakeModelHost({
      "lab/Tiny-GGUF/tiny-plain.gguf": await readFile(models.base),
      "lab/Tiny-Chat-GGUF/tiny-chatml.gguf": await readFile(models.instruct),
    });
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await host?.close();
    await models?.remove();
    folder.remove();
  });

  async function open(hfEndpoint: string) {
    const name = `run${++run}`;
    const pairsFile = path.join(folder.dir, `${name}.yaml`);
    await writeFile(
      pairsFile,
      [
        "default: tiny",
        "pairs:",
        "  - id: tiny",
        "    label: Tiny pair",
        "    base: hf:lab/Tiny-GGUF/tiny-plain.gguf",
        "    instruct: hf:lab/Tiny-Chat-GGUF/tiny-chatml.gguf",
      ].join("\n"),
    );
    const modelsDir = path.join(folder.dir, `${name}-models`);
    const config = loadConfig({
      MODEL_PAIRS_FILE: pairsFile,
      MODELS_DIR: modelsDir,
      HF_ENDPOINT: hfEndpoint,
      LLM_THREADS: "1",
      LLM_GPU: "false",
      LLM_CONTEXT_SIZE: "256",
      DATABASE_PATH: path.join(folder.dir, `${name}.sqlite`),
      CONTENT_DIR: path.resolve("content"),
      COMPARE_COOLDOWN_SECONDS: "0",
    });
    let playground: Playground | undefined;
    const app = await createApp(config, createLogger("silent"), {
      editor: { edit: async (address, view) => playground?.editor.edit(address, view) },
      loadModelsAtStart: false,
    });
    apps.push(app);
    const keyboard = new PassThrough();
    const output = new Pipe();
    const pair = defaultPair(app.catalogue);
    playground = startPlayground({
      dispatcher: app.dispatcher,
      input: keyboard,
      output,
      filesDir: path.join(folder.dir, "files"),
      color: false,
      downloadOffer: createPairDownloadOffer({
        pair,
        modelsDir,
        hfEndpoint,
        connectTimeoutMs: 5000,
        onSettled: () => app.models.start(),
      }),
    });
    return { app, keyboard, output, playground, pair, modelsDir };
  }

  it("GIVEN yes THEN both files download with progress, the models load and /compare runs", async () => {
    const { keyboard, output, playground, pair, modelsDir } = await open(host.url);
    keyboard.write("/lesson\n");
    await output.until((text) => text.includes("lm-tutor> "));
    keyboard.write('/compare prompt:"Hello" max_tokens:4 temperature:0\n');
    const size = (await readFile(models.base)).length + (await readFile(models.instruct)).length;
    await output.until((text) => text.includes("[y/N]"));
    expect(output.text).toContain(`The models of Tiny pair are not downloaded yet (2 files, `);
    expect(output.text).toMatch(
      new RegExp(`\\(2 files, [\\d.]+ kB\\)\\. Download them into ${modelsDir} now\\? \\[y/N\\]`),
    );
    expect(size).toBeGreaterThan(1000);
    keyboard.write("y\n");
    await output.until((text) => text.includes("Downloaded. Loading the models…"));
    expect(output.text).toMatch(/base: \[█+\] 100%/);
    expect(output.text).toMatch(/instruct: \[█+\] 100%/);
    await output.until((text) => text.includes(TINY_REPLY));
    expect((await checkPairFiles(pair, modelsDir)).map((state) => state.state)).toEqual([
      "present",
      "present",
    ]);
    keyboard.end();
    await playground.finished;
  });

  it("GIVEN no THEN nothing is downloaded, the way to get the files is given, and /compare reports them missing", async () => {
    const { keyboard, output, playground, pair, modelsDir } = await open(host.url);
    keyboard.write('/compare prompt:"Hello" max_tokens:4\n');
    await output.until((text) => text.includes("[y/N]"));
    keyboard.write("n\n");
    await output.until((text) => text.includes("model file is missing"));
    expect(output.text).toContain(
      `Not downloading. \`npm run models:pull\` fetches them later. ${LOCAL_FILE_ADVICE}`,
    );
    expect((await checkPairFiles(pair, modelsDir)).map((state) => state.state)).toEqual([
      "downloadable",
      "downloadable",
    ]);
    // Asked once only.
    keyboard.write('/compare prompt:"Again" max_tokens:4\n');
    await output.until((text) => text.split("model file is missing").length > 2);
    expect(output.text.split("[y/N]")).toHaveLength(2);
    keyboard.end();
    await playground.finished;
  });

  it("GIVEN a host that refuses connections THEN no question: the playground says why and how to use local files", async () => {
    const port = await closedLoopbackPort();
    const { keyboard, output, playground } = await open(`http://127.0.0.1:${port}/`);
    keyboard.write("/tokenize text:hello\n");
    await output.until((text) => text.includes("cannot be fetched now"));
    expect(output.text).toContain(`127.0.0.1:${port} refused the connection`);
    expect(output.text).toContain(LOCAL_FILE_ADVICE);
    expect(output.text).not.toContain("[y/N]");
    keyboard.end();
    await playground.finished;
  });
});
