import { dirname } from "node:path";
import { EngineClient } from "../src/engines/EngineClient.ts";
import { RemoteSide } from "../src/engines/RemoteSide.ts";
import type { DiscordDouble } from "../test/discord/DiscordDouble.ts";
import {
  findLlamaServer,
  type RunningLlamaServer,
  startLlamaServer,
  writeEnginePairsFile,
} from "../test/support/llamaServer.ts";
import { startTestBot } from "../test/support/startTestBot.ts";
import { type CompareResults, measureCompareStreaming } from "./measureCompareStreaming.ts";

export interface MeasureEngineOptions {
  models: { base: string; instruct: string };
  /** Threads of each llama-server (`-t`). */
  threads: number;
  /** Tokens per generation of the speed runs. */
  tokens: number;
  /** Speed runs after one warm-up. */
  runs: number;
  prompt: string;
  /** For the `/compare` part: the double, a folder for the bot's database, and its runs. */
  double: DiscordDouble;
  databasePath: string;
  contentDir: string;
  compareRuns: number;
  compareMaxTokens: number;
  budgetMs: number;
}

/** One generation through the server: the bot's decode rate (from the arrival of streamed text) and the server's own. */
export interface EngineSpeedRun {
  tokens: number;
  botTokensPerSecond: number;
  serverTokensPerSecond: number;
}

export type EngineResults =
  | { skipped: string }
  | {
      version: string | undefined;
      speed: EngineSpeedRun[];
      /** `/compare` with both sides on servers, warm (one warm-up run first). */
      compare: CompareResults;
    };

/**
 * The remote backend's cost: the same generations through a real llama-server, the decode rate
 * the bot sees as text arrives against the rate the server reports for that run
 * (`timings.predicted_per_second`), then `/compare` end to end through the Discord double with
 * both sides on servers, for the time to the first visible text on a warm server.
 */
export async function measureEngine(options: MeasureEngineOptions): Promise<EngineResults> {
  const server = findLlamaServer();
  if (!server.present) return { skipped: `no llama-server:${server.skipNote}` };
  const servers: RunningLlamaServer[] = [];
  try {
    const contextSize = String(Math.max(1024, options.tokens + 256));
    const args = ["-t", String(options.threads)];
    servers.push(
      ...(await Promise.all([
        startLlamaServer(server.path, { model: options.models.base, contextSize: Number(contextSize), args }),
        startLlamaServer(server.path, {
          model: options.models.instruct,
          contextSize: 2 * Number(contextSize),
          parallel: 2,
          args,
        }),
      ])),
    );
    const [base, instruct] = servers;
    if (!base || !instruct) throw new Error("llama-server did not start");

    const side = await RemoteSide.connect(new EngineClient({ id: "bench", url: base.url }), {
      streamsPerSlot: 1,
    });
    const prompt = await side.tokenizePrompt(options.prompt);
    const speed: EngineSpeedRun[] = [];
    for (let run = 0; run <= options.runs; run++) {
      const { stats } = await side.generate(prompt, {
        slot: 0,
        stream: 0,
        temperature: 0,
        maxTokens: options.tokens,
      });
      if (run === 0) continue;
      speed.push({
        tokens: stats.tokens,
        botTokensPerSecond: stats.tokensPerSecond,
        serverTokensPerSecond: stats.engineTokensPerSecond ?? Number.NaN,
      });
    }

    const bot = await startTestBot(options.double, {
      databasePath: options.databasePath,
      contentDir: options.contentDir,
      env: {
        MODEL_PAIRS_FILE: writeEnginePairsFile(dirname(options.databasePath), {
          base: base.url,
          instruct: instruct.url,
        }),
        COMPARE_COOLDOWN_SECONDS: "0",
        COMPARE_MAX_TOKENS_LIMIT: "8192",
      },
    });
    try {
      await bot.app.pairs.whenSettled();
      const compare = await measureCompareStreaming(options.double, bot, {
        runs: options.compareRuns,
        maxTokens: options.compareMaxTokens,
        prompt: options.prompt,
        budgetMs: options.budgetMs,
      });
      return { version: side.version, speed, compare };
    } finally {
      await bot.stop();
    }
  } finally {
    await Promise.all(servers.map((running) => running.stop()));
  }
}
