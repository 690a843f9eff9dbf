/**
 * Interactions per second through the whole stack: the local Discord double dispatches over its
 * gateway, the real discord.js client receives, the dispatcher runs the command against a real
 * SQLite file, and the reply goes back over REST. Prints one table; asserts nothing about time.
 *
 *   npx tsx bench/e2eThroughput.ts [count]     (count per scenario, default 200)
 */
import path from "node:path";
import { performance } from "node:perf_hooks";
import { InteractionResponseType } from "discord.js";
import {
  DiscordDouble,
  type DoubleUser,
  type InteractionHandle,
  type StoredMessage,
} from "../test/discord/DiscordDouble.ts";
import { answerKey } from "../test/support/answerKey.ts";
import { startTestBot, temporaryFolder } from "../test/support/startTestBot.ts";

interface Result {
  scenario: string;
  mode: "sequential" | "parallel";
  count: number;
  seconds: number;
  /** Milliseconds from dispatch to the bot's acknowledgement. */
  ackMs: number[];
  /** How many were acknowledged with a defer ("is thinking…") rather than the answer itself. */
  deferred: number;
  /** How many never got a reply the member could read ("The application did not respond"). */
  failed: number;
}

const count = Number(process.argv[2] ?? 200);
if (!Number.isInteger(count) || count < 1)
  throw new Error(`count must be a positive whole number, not ${process.argv[2]}`);

const deferrals = new Set<InteractionResponseType | undefined>([
  InteractionResponseType.DeferredChannelMessageWithSource,
  InteractionResponseType.DeferredMessageUpdate,
]);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/**
 * Fires `fire(i)` `count` times, one after another or all at once, and waits for every reply
 * (or for the double to give up on it: an interaction not acknowledged in 3 s never gets one).
 */
async function measure(
  scenario: string,
  mode: Result["mode"],
  fire: (index: number) => InteractionHandle,
): Promise<Result> {
  const handles: InteractionHandle[] = [];
  let failed = 0;
  const replied = (handle: InteractionHandle) =>
    handle.waitForReply().then(
      () => undefined,
      () => void failed++,
    );
  const started = performance.now();
  if (mode === "sequential") {
    for (let index = 0; index < count; index++) {
      const handle = fire(index);
      handles.push(handle);
      await replied(handle);
    }
  } else {
    for (let index = 0; index < count; index++) handles.push(fire(index));
    await Promise.all(handles.map(replied));
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    scenario,
    mode,
    count,
    seconds,
    ackMs: handles.map((handle) => handle.acknowledgement?.latencyMs ?? Number.NaN).sort((a, b) => a - b),
    deferred: handles.filter((handle) => deferrals.has(handle.acknowledgement?.type)).length,
    failed,
  };
}

function printTable(results: Result[]): void {
  const rows = results.map((result) => [
    result.scenario,
    result.mode,
    String(result.count),
    result.seconds.toFixed(2),
    (result.count / result.seconds).toFixed(0),
    percentile(result.ackMs, 50).toFixed(0),
    percentile(result.ackMs, 95).toFixed(0),
    percentile(result.ackMs, 100).toFixed(0),
    String(result.deferred),
    String(result.failed),
  ]);
  const header = [
    "scenario",
    "mode",
    "n",
    "seconds",
    "per second",
    "ack p50 ms",
    "ack p95 ms",
    "ack max ms",
    "deferred",
    "failed",
  ];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column < 2 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join("  ");
  console.log(line(header));
  console.log(widths.map((width) => "-".repeat(width)).join("  "));
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<void> {
  const folder = temporaryFolder("lm-tutor-bench-");
  // Past the 3-second acknowledgement window a reply can no longer come; 10 s is ample.
  const double = await DiscordDouble.start({ defaultTimeoutMs: 10_000 });
  const bot = await startTestBot(double, { databasePath: path.join(folder.dir, "bench.sqlite") });
  try {
    const users: DoubleUser[] = Array.from({ length: 20 }, (_, index) => double.user(`member${index}`));
    const userAt = (index: number): DoubleUser => users[index % users.length] as DoubleUser;
    const content = bot.app.services.content;

    // Warm up discord.js, SQLite's caches and the chart renderer.
    for (let index = 0; index < 20; index++) await double.slash(userAt(index), "progress").waitForReply();

    /** One open quiz per interaction, so every answer click is a real write. */
    const openQuizzes = async (): Promise<StoredMessage[]> => {
      const handles = Array.from({ length: count }, (_, index) =>
        double.slash(userAt(index), "quiz", { lesson: "base-models", questions: 1 }),
      );
      return Promise.all(handles.map((handle) => handle.waitForReply()));
    };

    const results: Result[] = [];
    for (const mode of ["sequential", "parallel"] as const) {
      results.push(await measure("/lesson (list)", mode, (index) => double.slash(userAt(index), "lesson")));
      results.push(
        await measure("/lesson name:…", mode, (index) =>
          double.slash(userAt(index), "lesson", { name: "base-models" }),
        ),
      );
      results.push(
        await measure("/progress (PNG card)", mode, (index) => double.slash(userAt(index), "progress")),
      );
      results.push(
        await measure("/leaderboard", mode, (index) => double.slash(userAt(index), "leaderboard")),
      );
      const quizzes = await openQuizzes();
      results.push(
        await measure("quiz answer click", mode, (index) => {
          const message = quizzes[index] as StoredMessage;
          return double.click(userAt(index), message, answerKey(message, content).right);
        }),
      );
    }

    console.log(
      `\nEnd-to-end interactions through the Discord double (${count} per row, Node ${process.version})\n`,
    );
    printTable(results);
    const errors = double.errors;
    if (errors.length > 0) {
      console.log(
        `\nThe double recorded ${errors.length} rule violation(s), for example: ${errors[0]?.message}`,
      );
      process.exitCode = 1;
    }
  } finally {
    await bot.stop();
    await double.close();
    folder.remove();
  }
}

await main();
