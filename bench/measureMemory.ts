import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compileProject } from "../scripts/compileProject.mjs";
import { DiscordDouble } from "../test/discord/DiscordDouble.ts";
import { buttonLabelled } from "../test/support/answerKey.ts";
import { deployCommandsTo, temporaryFolder } from "../test/support/startTestBot.ts";
import { locateShapedModels, type ShapedModels } from "./locateShapedModels.ts";
import { isSettled } from "./measureCompareStreaming.ts";
import type { ChildMessage, MemorySnapshot, ParentMessage } from "./memoryBot.ts";
import type { ModuleMemory } from "./memoryOfModules.ts";
import { repositoryRoot } from "./readBenchSettings.ts";

export type { MemorySnapshot } from "./memoryBot.ts";

export interface MeasureMemoryOptions {
  /** Where `make-shaped-gguf.py` is (the shared test models' folder). */
  sharedModelsDir: string;
  /** `BENCH_PYTHON`, see `locateShapedModels`. */
  python?: string;
  threads: number;
  prompt: string;
  /** `max_tokens` of the `/compare` run. */
  maxTokens: number;
  /** Next token clicks after `/nexttoken`. */
  nextTokenSteps: number;
}

/** One fresh bot process: its memory when ready, and after the scenario's work if it has any. */
export interface MemoryColumn {
  scenario: "no models" | "idle" | "idle, malloc trim" | "/compare" | "/nexttoken";
  /** What the process did before the last snapshot. */
  work: string;
  ready: MemorySnapshot;
  /**
   * After the scenario's warm-up, when it has one: `/nexttoken` first has the bot draw `/progress`
   * cards, so the chart renderer (resvg and its fonts, paid once by any chart) is counted apart.
   */
  warmed?: MemorySnapshot;
  after: MemorySnapshot;
}

export interface MemoryResults {
  models: ShapedModels;
  /** Per model: tokens per sequence and sequences in its context, as the idle bot had them. */
  contexts: Record<string, { tokens: number; sequences: number }>;
  columns: MemoryColumn[];
  /** A fresh process's RSS after loading each part of the bot in turn, without starting it. */
  modules: ModuleMemory;
  failures: string[];
}

const CHILD_TIMEOUT_MS = 300_000;

/**
 * The deployment setting the README suggests on Linux: glibc then gives memory freed after model
 * loading back instead of keeping up to 64 MB per arena for later.
 */
export const MALLOC_SETTING = { MALLOC_TRIM_THRESHOLD_: "131072" } as const;

/**
 * The node options `npm start` runs the bot with (package.json's start script), so the child
 * runs the way the bot does.
 */
function startNodeOptions(): string[] {
  const manifest = JSON.parse(readFileSync(join(repositoryRoot, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const match = /\bnode((?: --[\w-]+(?:=\S+)?)*) dist\/src\/main\.js/.exec(manifest.scripts.start ?? "");
  if (!match)
    throw new Error(`package.json's start script does not run dist/src/main.js: ${manifest.scripts.start}`);
  return (match[1] ?? "").trim().split(" ").filter(Boolean);
}

/** The next message of `type` from the child, or an error if it fails, exits or takes too long. */
function nextMessage<T extends ChildMessage["type"]>(
  child: ChildProcess,
  type: T,
): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`no ${type} from the bot process in time`)),
      CHILD_TIMEOUT_MS,
    );
    const onMessage = (message: ChildMessage) => {
      if (message.type === type) finish(undefined, message as Extract<ChildMessage, { type: T }>);
      else if (message.type === "failed") finish(new Error(`the bot process failed: ${message.reason}`));
    };
    const onExit = (code: number | null) =>
      finish(new Error(`the bot process exited (${code}) before ${type}`));
    function finish(error?: Error, message?: Extract<ChildMessage, { type: T }>) {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
      if (error) reject(error);
      else if (message) resolve(message);
    }
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

async function measure(child: ChildProcess): Promise<MemorySnapshot> {
  const reply = nextMessage(child, "snapshot");
  child.send({ type: "measure" } satisfies ParentMessage);
  return (await reply).snapshot;
}

/**
 * The bot's memory, each scenario in a fresh child process (bench/memoryBot.ts) so no figure
 * carries another's leftovers: the bot without models (node, discord.js, SQLite, llama.cpp's
 * library), idle with the pair loaded (also with the README's malloc setting), after one
 * `/compare` (three-way: every sequence generates), and after one `/nexttoken` walked a few steps.
 * The child is compiled to JavaScript and started with `npm start`'s node options, as the bot runs. The pair is random-weight GGUFs with SmolLM2-135M's exact
 * shapes, built once into a cache outside the repository; `skipped` says why when they cannot be.
 */
export async function measureMemory(
  options: MeasureMemoryOptions,
): Promise<MemoryResults | { skipped: string }> {
  let models: ShapedModels;
  try {
    models = locateShapedModels({ sharedModelsDir: options.sharedModelsDir, python: options.python });
  } catch (error) {
    return { skipped: `no SmolLM2-135M-shaped models: ${(error as Error).message}` };
  }
  const folder = temporaryFolder("lm-tutor-bench-memory-");
  // Inside the repository, so the compiled files find node_modules; not in dist/, which every
  // `npm start` replaces.
  const compiled = join(repositoryRoot, "bench", "compiled");
  let nodeOptions: string[];
  try {
    nodeOptions = startNodeOptions();
    const problems = compileProject({
      outDir: compiled,
      entries: ["memoryBot.ts", "memoryOfModules.ts"].map((file) => join(repositoryRoot, "bench", file)),
    });
    if (problems !== "") throw new Error(`could not compile the memory table's children:\n${problems}`);
  } catch (error) {
    folder.remove();
    return { skipped: (error as Error).message };
  }
  const double = await DiscordDouble.start({ defaultTimeoutMs: 60_000 });
  const columns: MemoryColumn[] = [];
  const failures: string[] = [];
  let modules: ModuleMemory = [];
  try {
    const output = execFileSync(
      process.execPath,
      ["--expose-gc", ...nodeOptions, join(compiled, "bench", "memoryOfModules.js")],
      { cwd: repositoryRoot, timeout: CHILD_TIMEOUT_MS, stdio: ["ignore", "pipe", "inherit"] },
    );
    modules = JSON.parse(output.toString("utf8")) as ModuleMemory;
  } catch (error) {
    failures.push(`modules: ${(error as Error).message}`);
  }
  let contexts: MemoryResults["contexts"] = {};
  try {
    await deployCommandsTo(double);
    const member = double.user("bench-memory");
    const scenarios: {
      scenario: MemoryColumn["scenario"];
      work: string;
      withModels: boolean;
      env?: Record<string, string>;
      warmUp?: () => Promise<void>;
      run?: () => Promise<void>;
    }[] = [
      { scenario: "no models", work: "started; model files absent", withModels: false },
      { scenario: "idle", work: "started; pair loaded", withModels: true },
      {
        scenario: "idle, malloc trim",
        work: `started with ${Object.entries(MALLOC_SETTING)
          .map(([name, value]) => `${name}=${value}`)
          .join(" ")}; pair loaded`,
        withModels: true,
        env: MALLOC_SETTING,
      },
      {
        scenario: "/compare",
        work: `one three-way /compare, max_tokens ${options.maxTokens}`,
        withModels: true,
        run: async () => {
          const reply = await double
            .slash(member, "compare", {
              prompt: options.prompt,
              mode: "three-way",
              max_tokens: options.maxTokens,
              temperature: 0,
            })
            .waitForReply(isSettled, CHILD_TIMEOUT_MS);
          // A refusal is private; a comparison is public.
          if (reply.ephemeral) throw new Error(`/compare was refused: ${reply.text.slice(0, 200)}`);
        },
      },
      {
        scenario: "/nexttoken",
        work: `three /progress cards, then one /nexttoken and ${options.nextTokenSteps} Next token clicks`,
        withModels: true,
        warmUp: async () => {
          for (let card = 0; card < 3; card++) await double.slash(member, "progress").waitForReply();
        },
        run: async () => {
          let message = await double.slash(member, "nexttoken", { prompt: options.prompt }).waitForReply();
          for (let step = 0; step < options.nextTokenSteps; step++) {
            message = await double
              .click(member, message, buttonLabelled(message, "Next token"))
              .waitForReply();
          }
        },
      },
    ];
    for (const [index, { scenario, work, withModels, env, warmUp, run }] of scenarios.entries()) {
      const config: Record<string, string> = {
        DISCORD_TOKEN: double.token,
        DISCORD_API_URL: double.apiUrl,
        DISCORD_GUILD_ID: double.guild,
        DATABASE_PATH: join(folder.dir, `memory-${index}.sqlite`),
        CONTENT_DIR: join(repositoryRoot, "content"),
        LOG_LEVEL: "debug",
        BASE_MODEL: withModels ? models.base : join(folder.dir, "absent-base.gguf"),
        INSTRUCT_MODEL: withModels ? models.instruct : join(folder.dir, "absent-instruct.gguf"),
        MODELS_DIR: folder.dir,
        LLM_THREADS: String(options.threads),
        LLM_GPU: "false",
        COMPARE_COOLDOWN_SECONDS: "0",
      };
      const child = spawn(
        process.execPath,
        ["--expose-gc", ...nodeOptions, join(compiled, "bench", "memoryBot.js"), JSON.stringify(config)],
        {
          cwd: repositoryRoot,
          env: { ...process.env, ...env },
          stdio: ["ignore", "ignore", "inherit", "ipc"],
        },
      );
      try {
        const { states, contexts: loaded } = await nextMessage(child, "ready");
        if (withModels) contexts = loaded;
        const expected = withModels ? "ready" : "missing";
        if (states.base !== expected || states.instruct !== expected) {
          throw new Error(`models ${states.base} / ${states.instruct}, expected ${expected}`);
        }
        const ready = await measure(child);
        await warmUp?.();
        const warmed = warmUp ? await measure(child) : undefined;
        await run?.();
        columns.push({ scenario, work, ready, warmed, after: run ? await measure(child) : ready });
      } catch (error) {
        failures.push(`${scenario}: ${(error as Error).message}`);
      } finally {
        const exited =
          child.exitCode !== null || child.signalCode !== null
            ? Promise.resolve()
            : new Promise((resolve) => child.once("exit", resolve));
        if (child.connected) child.send({ type: "stop" } satisfies ParentMessage);
        const killer = setTimeout(() => child.kill("SIGKILL"), 30_000);
        await exited;
        clearTimeout(killer);
      }
    }
  } finally {
    await double.close();
    folder.remove();
  }
  return { models, contexts, columns, modules, failures };
}
