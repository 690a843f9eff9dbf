/**
 * The child process of the memory table (see measureMemory.ts): the real bot, started the way
 * `src/main.ts` starts it, against the parent's Discord double, compiled to JavaScript and run
 * with `npm start`'s node options. Its configuration comes as JSON in the first argument, so no
 * setting of the parent's leaks in. It tells the parent when its models have settled, and answers
 * every `measure` message with its own memory.
 *
 * Run with `--expose-gc`: a collection before each measurement keeps garbage out of the figures.
 */
import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import { getHeapStatistics } from "node:v8";
import { loadConfig } from "../src/config.ts";
import { LocalSide } from "../src/llm/LocalSide.ts";
import { createLogger } from "../src/logger.ts";
import { startDiscordBot } from "../src/startBot.ts";

/** What llama.cpp said it allocated, in MiB, summed over both models. */
export interface LlamaBuffers {
  /** Weights, in every buffer they were loaded or repacked into. */
  weights: number;
  kvCache: number;
  /** Allocated for the largest batch; only the pages a step touches count in RSS. */
  compute: number;
  /** Logits and embeddings of the outputs. */
  output: number;
}

/** One measurement of the child; every figure in MiB. */
export interface MemorySnapshot {
  rss: number;
  /** `RssAnon` and `RssFile` of /proc/self/status (Linux only). */
  anonymous: number | null;
  fileBacked: number | null;
  heapUsed: number;
  /** Resident pages of the JS heap, used or not (the young generation is mostly empty after a collection). */
  heapCommitted: number;
  /** Memory of C++ objects bound to JavaScript (Buffers, the addons' own accounting). */
  external: number;
  buffers: LlamaBuffers;
}

export type ChildMessage =
  | {
      type: "ready";
      states: Record<string, string>;
      /** Per loaded model: tokens per sequence and sequences in its context. */
      contexts: Record<string, { tokens: number; sequences: number }>;
    }
  | { type: "snapshot"; snapshot: MemorySnapshot }
  | { type: "failed"; reason: string };

export type ParentMessage = { type: "measure" } | { type: "stop" };

const MIB = 2 ** 20;
const bufferLine = /\b(model|KV|compute|output) buffer size\s*=\s*([\d.]+) MiB/;
const buffers: LlamaBuffers = { weights: 0, kvCache: 0, compute: 0, output: 0 };
const buffersByKind = { model: "weights", KV: "kvCache", compute: "compute", output: "output" } as const;

/** Reads llama.cpp's allocation lines out of the bot's JSON log. */
const logStream = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (!line.includes("buffer size")) continue;
      try {
        const entry = JSON.parse(line) as { source?: string; msg?: string };
        const match = entry.source === "llama.cpp" ? bufferLine.exec(entry.msg ?? "") : null;
        if (match) buffers[buffersByKind[match[1] as keyof typeof buffersByKind]] += Number(match[2]);
      } catch {
        // Not a JSON line: nothing of ours.
      }
    }
    done();
  },
});

function statusField(status: string | null, field: string): number | null {
  const kilobytes =
    status === null ? undefined : new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1];
  return kilobytes === undefined ? null : Number(kilobytes) / 1024;
}

/**
 * Collects garbage twice around a turn of the event loop: native objects bound to JavaScript
 * (resvg's images, for one) are freed by finalizers that run after the collection that found them.
 */
async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  await new Promise((resolve) => setImmediate(resolve));
  gc?.();
  await new Promise((resolve) => setImmediate(resolve));
}

async function snapshot(): Promise<MemorySnapshot> {
  await collectGarbage();
  const usage = process.memoryUsage();
  let status: string | null = null;
  try {
    status = readFileSync("/proc/self/status", "utf8");
  } catch {
    // Not Linux: RSS alone.
  }
  return {
    rss: usage.rss / MIB,
    anonymous: statusField(status, "RssAnon"),
    fileBacked: statusField(status, "RssFile"),
    heapUsed: usage.heapUsed / MIB,
    heapCommitted: getHeapStatistics().total_physical_size / MIB,
    external: usage.external / MIB,
    buffers: { ...buffers },
  };
}

function send(message: ChildMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const config = loadConfig(JSON.parse(process.argv[2] ?? "{}") as NodeJS.ProcessEnv);
  // Debug makes the bot pass on llama.cpp's allocation lines (see LocalModels' llamaLogLevel).
  const logger = createLogger("debug", { destination: logStream });
  const bot = await startDiscordBot(config, logger);
  await bot.app.pairs.whenSettled();
  process.on("message", (message: ParentMessage) => {
    if (message.type === "measure")
      void snapshot().then((taken) => send({ type: "snapshot", snapshot: taken }));
    if (message.type === "stop") void bot.stop().then(() => process.exit(0));
  });
  const states: Record<string, string> = {};
  const contexts: Record<string, { tokens: number; sequences: number }> = {};
  const report = bot.app.pairs.report().find((pair) => pair.isDefault);
  const sides = bot.app.pairs.loadedSides();
  for (const role of ["base", "instruct"] as const) {
    states[role] = report?.[role].state ?? "unloaded";
    const side = sides?.[role];
    if (!(side instanceof LocalSide)) continue;
    contexts[role] = { tokens: side.loaded.contextSize, sequences: side.loaded.context.totalSequences };
  }
  send({ type: "ready", states, contexts });
}

main().catch((error: unknown) => {
  send({ type: "failed", reason: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
