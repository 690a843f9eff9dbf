/**
 * `npm run bench`: how fast the bot generates and how fast members see it, on this machine.
 *
 * 1. Generation, per model: tokens per second and time to first token of the bot's generation
 *    path (`generate` in src/llm, on the context `LocalModels` makes) against a bare node-llama-cpp
 *    `LlamaCompletion` on the same loaded file, context size, threads and prompt tokens (goal: a
 *    ratio of at least 0.95).
 * 2. `/compare` end to end: the real bot (discord.js, SQLite, both models) against the local
 *    Discord double; from the slash command to the first reply showing generated text, and how
 *    often the streaming message is edited, read from the double's own timestamps.
 * 3. Interactions per second through the double for `/lesson`, `/progress`, `/leaderboard` and quiz
 *    answer clicks.
 * 4. A class question answered by a burst of members (1,000 over 2 s, then all at once): how soon
 *    each click is acknowledged, and members told "Locked in" against answers stored.
 * 5. Memory: the bot's RSS in a fresh process per scenario (no models, idle with the pair loaded,
 *    after a `/compare`, after a `/nexttoken`), with llama.cpp's own account of its buffers, on
 *    random-weight GGUFs with SmolLM2-135M's exact shapes (goal: idle ≤ 600 MB, `/nexttoken` adding
 *    at most 50 MB). The models are built into a cache outside the repository (see
 *    locateShapedModels.ts); the table is skipped, with the reason, when they cannot be.
 * 6. Through a model server (llama-server from `npm run engine:build`): the bot's decode rate
 *    against the server's own for the same runs (goal ≥ 0.95), and `/compare`'s first visible
 *    text on warm servers (goal ≤ 1 s). Skipped, saying why, when llama-server is not built.
 *
 * Prints tables and writes everything, raw values included, to `bench/results/<time>.json` and
 * `bench/results/latest.json`. Asserts nothing about time; exits 1 only when the double saw the
 * bot break a Discord rule or a comparison failed, since the figures are then suspect.
 *
 * Models: `stories260K.gguf` (base) and `stories260K-chatml.gguf` (instruct) from
 * `BENCH_MODELS_DIR` (default `../shared/models`), or any GGUFs through `BENCH_BASE_MODEL` and
 * `BENCH_INSTRUCT_MODEL`; without them, the tiny GGUF of test/support/tinyGguf.ts. The other
 * `BENCH_*` variables are described in readBenchSettings.ts.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { basename, join, relative } from "node:path";
import { DiscordDouble } from "../test/discord/DiscordDouble.ts";
import { startTestBot, temporaryFolder } from "../test/support/startTestBot.ts";
import { formatNumber, formatTable } from "./formatTable.ts";
import { type BenchModel, type BenchModels, locateBenchModels } from "./locateBenchModels.ts";
import { type ClassBurstResult, measureClassBurst, percentile } from "./measureClassBurst.ts";
import { type CompareBurstResults, measureCompareBurst } from "./measureCompareBurst.ts";
import { type CompareResults, measureCompareStreaming } from "./measureCompareStreaming.ts";
import { type EngineResults, measureEngine } from "./measureEngine.ts";
import { type GenerationResults, measureGeneration } from "./measureGeneration.ts";
import { type InteractionRow, measureInteractions } from "./measureInteractions.ts";
import { measureMemoryWith, memorySection } from "./memorySection.ts";
import { type BenchSettings, readBenchSettings, repositoryRoot } from "./readBenchSettings.ts";
import { type Summary, summarize } from "./summarize.ts";

const PROMPT = "Once upon a time";
/** Timed rounds of one model in part 1, and measured runs of part 2, stop growing past these. */
const GENERATION_BUDGET_MS = 30_000;
const COMPARE_BUDGET_MS = 60_000;

function readCommit(): string | null {
  try {
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repositoryRoot })
      .toString()
      .trim();
    const changed = execFileSync("git", ["status", "--porcelain"], { cwd: repositoryRoot }).toString();
    return changed.trim() === "" ? commit : `${commit} + uncommitted changes`;
  } catch {
    return null;
  }
}

function packageVersion(name: string): string {
  try {
    const manifest = JSON.parse(
      readFileSync(join(repositoryRoot, "node_modules", name, "package.json"), "utf8"),
    ) as { version?: string };
    return manifest.version ?? "?";
  } catch {
    return "?";
  }
}

function describeMachine() {
  return {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model.trim() ?? "unknown CPU",
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    nodeLlamaCpp: packageVersion("node-llama-cpp"),
    discordJs: packageVersion("discord.js"),
    commit: readCommit(),
  };
}

const loadAverage = () => loadavg().map((value) => Number(value.toFixed(2)));
const ms = (value: number | null | undefined) =>
  formatNumber(value, value !== null && value !== undefined && Math.abs(value) < 10 ? 2 : 0);
const medianAndRange = (summary: Summary) =>
  `${formatNumber(summary.median)} (${formatNumber(summary.min)}–${formatNumber(summary.max)})`;

function describeModel(model: BenchModel): string {
  const from = { env: `BENCH_${model.role.toUpperCase()}_MODEL`, shared: "shared", tiny: "TINY FALLBACK" };
  return `${model.role} ${basename(model.path)} (${from[model.source]}: ${model.path})`;
}

function generationSection(results: GenerationResults, settings: { threads: number }) {
  const rows = results.rows.map((row) => {
    const bareTokensPerSecond = summarize(row.bare.tokensPerSecond);
    const botTokensPerSecond = summarize(row.bot.tokensPerSecond);
    return {
      ...row,
      bareTokensPerSecond,
      botTokensPerSecond,
      /** The goal's figure: bot median over bare median. */
      ratio: botTokensPerSecond.median / bareTokensPerSecond.median,
      /** Bot over bare within each round (the two ran back to back), summarized. */
      roundRatio: summarize(
        row.bot.tokensPerSecond.map((rate, round) => rate / (row.bare.tokensPerSecond[round] ?? 0)),
      ),
      bareTimeToFirstTokenMs: summarize(row.bare.timeToFirstTokenMs),
      botTimeToFirstTokenMs: summarize(row.bot.timeToFirstTokenMs),
    };
  });
  const latency = (summary: Summary) => `${ms(summary.median)} / ${ms(summary.p90)} / ${ms(summary.max)}`;
  const metrics: [string, (row: (typeof rows)[number]) => string][] = [
    ["file", (row) => basename(row.path)],
    ["threads used, bare / bot", (row) => `${row.bare.threads} / ${row.bot.threads}`],
    ["context: tokens × sequences, bot", (row) => `${row.contextSize} × ${row.botSequences}`],
    ["prompt tokens → generated (stop)", (row) => `${row.promptTokens} → ${row.tokens} (${row.stopReason})`],
    ["same text on both paths", (row) => (row.sameText ? "yes" : "NO: rates not comparable")],
    ["rounds", (row) => String(row.rounds)],
    ["bare tok/s, median (min–max)", (row) => medianAndRange(row.bareTokensPerSecond)],
    ["bot tok/s, median (min–max)", (row) => medianAndRange(row.botTokensPerSecond)],
    ["ratio bot / bare, medians (goal ≥ 0.95)", (row) => formatNumber(row.ratio, 3)],
    [
      "ratio bot / bare, best rounds (least disturbed)",
      (row) => formatNumber(row.botTokensPerSecond.max / row.bareTokensPerSecond.max, 3),
    ],
    [
      "ratio per round, median (min–max)",
      (row) =>
        `${formatNumber(row.roundRatio.median, 3)} (${formatNumber(row.roundRatio.min, 2)}–${formatNumber(row.roundRatio.max, 2)})`,
    ],
    ["bare TTFT ms, median / p90 / max", (row) => latency(row.bareTimeToFirstTokenMs)],
    ["bot TTFT ms, median / p90 / max", (row) => latency(row.botTimeToFirstTokenMs)],
  ];
  const table = formatTable(
    ["", ...rows.map((row) => `${row.role} · ${row.modelName}`)],
    metrics.map(([name, show]) => [name, ...rows.map(show)]),
  );
  const lines = [
    `1. Generation: bot path (src/llm generate) vs bare node-llama-cpp LlamaCompletion, ${settings.threads} thread(s) asked, CPU, greedy`,
    "",
    table,
    "",
    "tok/s: decode rate, tokens after the first per second after the first token. Same loaded model, context",
    "size, threads and prompt tokens on both paths; rounds alternate which path goes first.",
    `TTFT: call → first token, prompt evaluation included, cold (sequence cleared before every run); prompt "${PROMPT}".`,
    ...results.skipped.map((reason) => `NOT MEASURED: ${reason}`),
  ];
  return { lines, rows, skipped: results.skipped };
}

function compareSection(results: CompareResults | { skipped: string }, maxTokens: number) {
  if ("skipped" in results) {
    return {
      lines: ["2. /compare end to end: NOT MEASURED", results.skipped],
      summary: null,
      samples: [],
      failures: [],
    };
  }
  const { samples, failures } = results;
  const sideValues = (
    key: string,
    pick: (side: CompareResults["samples"][number]["sides"][number]) => number,
  ) => samples.flatMap((sample) => sample.sides.filter((side) => side.key === key).map(pick));
  const summary = {
    firstReplyMs: summarize(samples.map((sample) => sample.firstReplyMs)),
    firstTextMs: summarize(samples.map((sample) => sample.firstTextMs ?? Number.NaN)),
    finalMs: summarize(samples.map((sample) => sample.finalMs)),
    edits: summarize(samples.map((sample) => sample.edits)),
    editsPerSecond: summarize(samples.map((sample) => sample.editsPerSecond ?? Number.NaN)),
    minEditGapMs: summarize(samples.map((sample) => sample.minEditGapMs ?? Number.NaN)),
    firstEditAfterReplyMs: summarize(samples.map((sample) => sample.firstEditAfterReplyMs ?? Number.NaN)),
    requests: summarize(samples.map((sample) => sample.requests)),
    baseTokensPerSecond: summarize(sideValues("base", (side) => side.tokensPerSecond)),
    instructTokensPerSecond: summarize(sideValues("instruct", (side) => side.tokensPerSecond)),
    baseTimeToFirstTokenMs: summarize(sideValues("base", (side) => side.timeToFirstTokenMs ?? Number.NaN)),
    instructTimeToFirstTokenMs: summarize(
      sideValues("instruct", (side) => side.timeToFirstTokenMs ?? Number.NaN),
    ),
    baseTokens: summarize(sideValues("base", (side) => side.tokens)),
    instructTokens: summarize(sideValues("instruct", (side) => side.tokens)),
    stopLatencyMs: summarize(results.stopLatencyMs),
  };
  const emptyFirstEdit = samples.filter(
    (sample) =>
      sample.firstEditAfterReplyMs !== null &&
      (sample.firstTextMs === null ||
        sample.firstTextMs > sample.firstReplyMs + sample.firstEditAfterReplyMs),
  ).length;
  const metric = (name: string, value: Summary, digits: number | "ms") => {
    const show = (number: number) => (digits === "ms" ? ms(number) : formatNumber(number, digits));
    return [name, String(value.n), show(value.median), show(value.p90), show(value.min), show(value.max)];
  };
  const table = formatTable(
    ["per /compare run", "n", "median", "p90", "min", "max"],
    [
      metric("slash → first reply (initial state), ms", summary.firstReplyMs, 0),
      metric("slash → first revision with generated text, ms", summary.firstTextMs, 0),
      metric("slash → final revision, ms", summary.finalMs, 0),
      metric("edits of the message", summary.edits, 0),
      metric("edits per second, first → last edit", summary.editsPerSecond, 2),
      metric("shortest gap between two edits, ms", summary.minEditGapMs, 0),
      metric("first reply → first edit, ms", summary.firstEditAfterReplyMs, 0),
      metric("REST requests per run", summary.requests, 0),
      metric("base: tokens generated", summary.baseTokens, 0),
      metric("base: tok/s inside the bot (sides run at once)", summary.baseTokensPerSecond, 0),
      metric("base: first token inside the bot, ms", summary.baseTimeToFirstTokenMs, "ms"),
      metric("instruct: tokens generated", summary.instructTokens, 0),
      metric("instruct: tok/s inside the bot (sides run at once)", summary.instructTokensPerSecond, 0),
      metric("instruct: first token inside the bot, ms", summary.instructTimeToFirstTokenMs, "ms"),
      metric("Stop clicked → message says stopped, ms (goal ≤ 200)", summary.stopLatencyMs, 0),
    ],
  );
  const lines = [
    `2. /compare end to end through the Discord double: ${samples.length} measured run(s) after 1 warm-up,`,
    `   one member, one at a time, max_tokens ${maxTokens}, temperature 0, COMPARE_COOLDOWN_SECONDS=0`,
    "",
    table,
    "",
    "Times come from the double (1 ms resolution): dispatch of the slash command, arrival of each revision.",
    "The bot edits at most once a second (ThrottledEditor); its first edit may follow the first reply at once.",
    "@discordjs/rest holds webhook requests (edits, fetches) to 50/s for the whole bot; callbacks are exempt.",
    "tok/s and first token inside the bot are the engine's own stats, stored with each run in SQLite.",
    `In ${emptyFirstEdit} of ${samples.length} run(s) the first edit went out before the first token and showed no text;`,
    "the text then waited for the next edit the throttle allowed.",
    ...failures.map((failure) => `FAILED RUN: ${failure}`),
  ];
  return { lines, summary, samples, failures };
}

function interactionSection(rows: InteractionRow[], count: number) {
  const summarized = rows.map((row) => ({ ...row, ack: summarize(row.ackMs) }));
  const table = formatTable(
    [
      "scenario",
      "mode",
      "n",
      "seconds",
      "per second",
      "ack med ms",
      "ack p90 ms",
      "ack max ms",
      "deferred",
      "failed",
      "webhook req/s",
    ],
    summarized.map((row) => [
      row.scenario,
      row.mode,
      String(row.count),
      formatNumber(row.seconds, 2),
      formatNumber(row.count / row.seconds),
      formatNumber(row.ack.median),
      formatNumber(row.ack.p90),
      formatNumber(row.ack.max),
      String(row.deferred),
      String(row.failed),
      formatNumber(row.webhookRequests / row.seconds),
    ]),
    2,
  );
  const lines = [
    `3. Interactions through the Discord double (${count} per row, 20 members taking turns)`,
    "",
    table,
    "",
    "ack: dispatch → the bot's acknowledgement. webhook req/s: REST requests other than callbacks",
    "(deferred replies' edits), which @discordjs/rest holds to 50/s; callbacks are exempt from that limit.",
  ];
  return { lines, rows: summarized };
}

function classBurstSection(rows: ClassBurstResult[]) {
  const summarized = rows.map((row) => ({
    ...row,
    ack: { p50: percentile(row.ackMs, 50), p99: percentile(row.ackMs, 99), max: percentile(row.ackMs, 100) },
  }));
  const table = formatTable(
    [
      "burst",
      "spread ms",
      "ack p50 ms",
      "ack p99 ms",
      "ack max ms",
      "deferred",
      "failed",
      "locked in",
      "stored",
      "stored members",
      "count edits",
      "reveal ms",
    ],
    summarized.map((row) => [
      String(row.members),
      String(row.spreadMs),
      formatNumber(row.ack.p50),
      formatNumber(row.ack.p99),
      formatNumber(row.ack.max),
      String(row.deferred),
      String(row.failed),
      String(row.lockedIn),
      String(row.stored),
      String(row.storedMembers),
      String(row.questionEdits),
      formatNumber(row.revealMs),
    ]),
    1,
  );
  const lines = [
    "4. A class question answered by a burst of members through the Discord double (goal: ack p99 ≤ 1 s, all within 3 s)",
    "",
    table,
    "",
    'ack: dispatch → the callback carrying "Locked in", sent only after the answer\'s group commit.',
    'locked in = stored = stored members: every member told "Locked in" is in the database, once.',
    "Fresh members each row, after an unreported warm-up burst of 200. The double, discord.js and the bot",
    "share this one process and its event loop, so the double's own work is inside these times.",
    "reveal: the host's Reveal click → the revealed question (points, and every answerer's review card).",
  ];
  return { lines, rows: summarized };
}

function engineSection(results: EngineResults) {
  if ("skipped" in results) {
    return {
      lines: ["6. Through a model server (llama-server): NOT MEASURED", results.skipped],
      rows: [],
      firstTextMs: null,
      raw: null,
      failures: [],
    };
  }
  const ratios = results.speed.map((run) => run.botTokensPerSecond / run.serverTokensPerSecond);
  const bot = summarize(results.speed.map((run) => run.botTokensPerSecond));
  const server = summarize(results.speed.map((run) => run.serverTokensPerSecond));
  const ratio = summarize(ratios);
  const firstText = summarize(results.compare.samples.map((sample) => sample.firstTextMs ?? Number.NaN));
  const firstReply = summarize(results.compare.samples.map((sample) => sample.firstReplyMs));
  const rows: [string, string][] = [
    ["server", results.version ?? "unknown version"],
    ["generations (after 1 warm-up) × tokens", `${results.speed.length} × ${results.speed[0]?.tokens ?? 0}`],
    ["server's own tok/s, median (min–max)", medianAndRange(server)],
    ["bot's tok/s as text arrives, median (min–max)", medianAndRange(bot)],
    [
      "ratio bot / server per run, median (min–max) (goal ≥ 0.95)",
      `${formatNumber(ratio.median, 3)} (${formatNumber(ratio.min, 3)}–${formatNumber(ratio.max, 3)})`,
    ],
    ["/compare runs on warm servers (after 1 warm-up)", String(results.compare.samples.length)],
    [
      "slash → first reply, ms, median / p90 / max",
      `${ms(firstReply.median)} / ${ms(firstReply.p90)} / ${ms(firstReply.max)}`,
    ],
    [
      "slash → first visible text, ms, median / p90 / max (goal ≤ 1000)",
      `${ms(firstText.median)} / ${ms(firstText.p90)} / ${ms(firstText.max)}`,
    ],
  ];
  const lines = [
    "6. Through a model server: the bench's GGUFs on llama-server (the release node-llama-cpp bundles),",
    "   the bot talking to it over HTTP (SSE), temperature 0",
    "",
    formatTable(["", "value"], rows),
    "",
    "tok/s: tokens after the first per second after the first; the server's figure is its timings.predicted_per_second",
    "for the same run. First visible text: the double's clock, from the slash command to the first message revision",
    "with generated text, base model and instruct model on two servers.",
    ...results.compare.failures.map((failure) => `FAILED RUN: ${failure}`),
  ];
  return { lines, rows, firstTextMs: firstText, raw: results, failures: results.compare.failures };
}

async function main(): Promise<void> {
  const startedAt = new Date();
  let settings: BenchSettings;
  let models: BenchModels;
  try {
    settings = readBenchSettings(process.env);
    models = await locateBenchModels(settings);
  } catch (error) {
    // A bad BENCH_* variable: its message says which and why; a stack trace would only hide that.
    console.error((error as Error).message);
    process.exitCode = 1;
    return;
  }
  const machine = describeMachine();
  const loadAtStart = loadAverage();
  const folder = temporaryFolder("lm-tutor-bench-");
  const phaseSeconds: Record<string, number> = {};
  const timed = async <T>(phase: string, work: () => Promise<T>): Promise<T> => {
    const phaseStart = performance.now();
    try {
      return await work();
    } finally {
      phaseSeconds[phase] = Number(((performance.now() - phaseStart) / 1000).toFixed(1));
    }
  };

  try {
    console.log(
      `LM Tutor benchmark, ${startedAt.toISOString()}${machine.commit ? ` (${machine.commit})` : ""}`,
    );
    console.log(
      `machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}, node-llama-cpp ${machine.nodeLlamaCpp}, discord.js ${machine.discordJs}`,
    );
    console.log(
      `load average at start: ${loadAtStart.join(" ")} (1/5/15 min; other processes skew the figures)`,
    );
    console.log(`models: ${describeModel(models.base)}`);
    console.log(`        ${describeModel(models.instruct)}`);
    for (const note of models.notes) console.log(`NOTE: ${note}`);
    console.log("");

    const generation = generationSection(
      await timed("generation", () =>
        measureGeneration({
          models: { base: models.base.path, instruct: models.instruct.path },
          threads: settings.threads,
          tokens: settings.tokens,
          rounds: settings.rounds,
          budgetMs: GENERATION_BUDGET_MS,
          prompt: PROMPT,
        }),
      ),
      settings,
    );
    console.log(generation.lines.join("\n"));
    console.log("");

    const double = await DiscordDouble.start({ defaultTimeoutMs: 10_000 });
    let compare: ReturnType<typeof compareSection>;
    let interactions: ReturnType<typeof interactionSection>;
    let burst: CompareBurstResults | undefined;
    let engine: ReturnType<typeof engineSection> | undefined;
    let classBursts: ReturnType<typeof classBurstSection> | undefined;
    try {
      const bot = await timed("bot start and model load", async () => {
        const started = await startTestBot(double, {
          databasePath: join(folder.dir, "bench.sqlite"),
          contentDir: join(repositoryRoot, "content"),
          env: {
            BASE_MODEL: models.base.path,
            INSTRUCT_MODEL: models.instruct.path,
            LLM_THREADS: String(settings.threads),
            LLM_GPU: "false",
            COMPARE_COOLDOWN_SECONDS: "0",
            COMPARE_MAX_TOKENS_LIMIT: "8192",
            MODELS_DIR: folder.dir,
          },
        });
        await started.app.pairs.whenSettled();
        return started;
      });
      try {
        const pair = bot.app.pairs.report().find((report) => report.isDefault);
        const ready = pair?.base.state === "ready" && pair.instruct.state === "ready";
        const compareResults: CompareResults | { skipped: string } = !ready
          ? {
              skipped: `the bot's models are not ready: base ${pair?.base.state} ${pair?.base.detail ?? ""}, instruct ${pair?.instruct.state} ${pair?.instruct.detail ?? ""}`,
            }
          : await timed("/compare", () =>
              measureCompareStreaming(double, bot, {
                runs: settings.compareRuns,
                maxTokens: settings.compareMaxTokens,
                prompt: PROMPT,
                budgetMs: COMPARE_BUDGET_MS,
              }),
            );
        compare = compareSection(compareResults, settings.compareMaxTokens);
        console.log(compare.lines.join("\n"));
        console.log("");

        if (ready) {
          burst = await timed("/compare burst", () =>
            measureCompareBurst(double, {
              members: 30,
              maxTokens: settings.compareMaxTokens,
              prompt: PROMPT,
            }),
          );
          console.log(
            [
              `/compare burst: ${burst.members} members at once on a fresh queue (max_tokens ${settings.compareMaxTokens})`,
              `  admitted ${burst.admitted}, refused ${burst.refused}; all admitted runs done after ${formatNumber(burst.allDoneMs / 1000, 1)} s`,
              ...(burst.refusal ? [`  first refusal: ${burst.refusal}`] : []),
            ].join("\n"),
          );
          console.log("");
        }

        interactions = interactionSection(
          await timed("interactions", () => measureInteractions(double, bot, settings.interactionsPerRow)),
          settings.interactionsPerRow,
        );
        console.log(interactions.lines.join("\n"));
        console.log("");

        classBursts = classBurstSection(
          await timed("class burst", async () => {
            // Warms the class code paths up (JIT, statements); not reported.
            await measureClassBurst(double, bot, { members: 200, spreadMs: 500, memberPrefix: "warmup" });
            return [
              await measureClassBurst(double, bot, {
                members: settings.classMembers,
                spreadMs: settings.classSpreadMs,
                memberPrefix: "spread",
              }),
              await measureClassBurst(double, bot, {
                members: settings.classMembers,
                spreadMs: 0,
                memberPrefix: "atonce",
              }),
            ];
          }),
        );
        console.log(classBursts.lines.join("\n"));
        console.log("");
      } finally {
        await bot.stop();
      }
      engine = engineSection(
        await timed("model server", () =>
          measureEngine({
            models: { base: models.base.path, instruct: models.instruct.path },
            threads: settings.threads,
            tokens: settings.tokens,
            runs: Math.min(settings.rounds, 10),
            prompt: PROMPT,
            double,
            databasePath: join(folder.dir, "engine.sqlite"),
            contentDir: join(repositoryRoot, "content"),
            compareRuns: Math.min(settings.compareRuns, 5),
            compareMaxTokens: settings.compareMaxTokens,
            budgetMs: COMPARE_BUDGET_MS,
          }),
        ),
      );
    } finally {
      await double.close();
    }

    const memory = memorySection(await timed("memory", () => measureMemoryWith(settings)));
    console.log(memory.lines.join("\n"));
    console.log("");
    if (engine) {
      console.log(engine.lines.join("\n"));
      console.log("");
    }

    const errors = double.errors;
    if (errors.length > 0) {
      console.log(
        `The double recorded ${errors.length} rule violation(s); the figures are suspect. First ones:`,
      );
      for (const error of errors.slice(0, 5))
        console.log(`- ${error.request ?? "gateway"}: ${error.message}`);
      process.exitCode = 1;
    }
    if (compare.failures.length > 0 || (engine?.failures.length ?? 0) > 0) process.exitCode = 1;
    if ("failures" in memory.results && memory.results.failures.length > 0) process.exitCode = 1;

    const finishedAt = new Date();
    const loadAtEnd = loadAverage();
    const report = {
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      seconds: Number(((finishedAt.getTime() - startedAt.getTime()) / 1000).toFixed(1)),
      phaseSeconds,
      machine: { ...machine, loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadAtEnd },
      models: { base: models.base, instruct: models.instruct, notes: models.notes },
      settings: { ...settings, prompt: PROMPT, gpu: false },
      generation: { rows: generation.rows, skipped: generation.skipped },
      compare: { summary: compare.summary, samples: compare.samples, failures: compare.failures },
      compareBurst: burst ?? null,
      engine: engine ? { rows: engine.rows, firstTextMs: engine.firstTextMs, raw: engine.raw } : null,
      interactions: interactions.rows,
      memory: memory.results,
      classBursts: classBursts?.rows ?? null,
      doubleErrors: errors,
    };
    const resultsDir = join(repositoryRoot, "bench", "results");
    mkdirSync(resultsDir, { recursive: true });
    const file = join(resultsDir, `${startedAt.toISOString().replaceAll(":", "-")}.json`);
    const json = `${JSON.stringify(report, null, 2)}\n`;
    writeFileSync(file, json);
    writeFileSync(join(resultsDir, "latest.json"), json);
    console.log(
      `load average at end: ${loadAtEnd.join(" ")}; took ${report.seconds} s (${Object.entries(phaseSeconds)
        .map(([phase, seconds]) => `${phase} ${seconds} s`)
        .join(", ")})`,
    );
    console.log(`wrote ${relative(repositoryRoot, file)} and bench/results/latest.json`);
  } finally {
    folder.remove();
    models.remove();
  }
}

await main();
