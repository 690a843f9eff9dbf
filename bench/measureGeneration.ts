import { LlamaCompletion, type LlamaContextSequence } from "node-llama-cpp";
import { generate, type StopReason } from "../src/llm/generate.ts";
import type { LoadedModel } from "../src/llm/LoadedModel.ts";
import { LocalModels, type ModelRole, type ModelStatus } from "../src/llm/LocalModels.ts";
import { tokenizePrompt } from "../src/llm/tokenizePrompt.ts";

export interface MeasureGenerationOptions {
  models: Record<ModelRole, string>;
  /** CPU threads of each generation, on both paths. */
  threads: number;
  /** Tokens per run; capped so that prompt and reply fit the context. */
  tokens: number;
  /** Rounds wanted per model; fewer (at least 3) when they would not fit `budgetMs`. */
  rounds: number;
  /** Time the timed rounds of one model may take, estimated from the warm-up. */
  budgetMs: number;
  prompt: string;
}

/** Measurements of one path, one value per round. */
export interface PathMeasurements {
  /** Decode rate: tokens after the first per second after the first token. */
  tokensPerSecond: number[];
  /** From the call to the first token (prompt evaluation included), cold: the sequence is cleared before each run. */
  timeToFirstTokenMs: number[];
  /** Threads llama.cpp used, read from the context during the warm-up run. */
  threads: number;
}

export interface GenerationRow {
  role: ModelRole;
  modelName: string;
  path: string;
  /** Tokens per sequence, the same on both paths. */
  contextSize: number;
  /** Sequences of the bot's context (the instruct model gets two per comparison slot). */
  botSequences: number;
  promptTokens: number;
  /** Tokens each run generated (identical on both paths when `sameText`). */
  tokens: number;
  stopReason: StopReason;
  /** Whether both paths generated the same text; when not, the rates do not compare like with like. */
  sameText: boolean;
  rounds: number;
  bare: PathMeasurements;
  bot: PathMeasurements;
}

export interface GenerationResults {
  rows: GenerationRow[];
  /** Roles that could not be measured, with the reason. */
  skipped: string[];
}

interface Run {
  text: string;
  tokens: number;
  stopReason: StopReason;
  startedAt: number;
  firstTokenAt: number | undefined;
  endedAt: number;
  threads: number;
}

const decodeRate = (run: Run) =>
  run.firstTokenAt !== undefined && run.tokens > 1 && run.endedAt > run.firstTokenAt
    ? ((run.tokens - 1) * 1000) / (run.endedAt - run.firstTokenAt)
    : Number.NaN;
const timeToFirstToken = (run: Run) =>
  run.firstTokenAt === undefined ? Number.NaN : run.firstTokenAt - run.startedAt;

function describeStatus(status: ModelStatus): string {
  switch (status.state) {
    case "missing":
      return `missing: ${status.file}`;
    case "failed":
      return `failed: ${status.reason}`;
    case "misconfigured":
      return `misconfigured: ${status.error.message}`;
    default:
      return status.state;
  }
}

/**
 * For each model: the bot's generation path (`generate` from src/llm on a sequence of the context
 * that `LocalModels` made, as `/compare` uses it) against a bare `LlamaCompletion` on a second
 * context of the same loaded model, with the same context size, threads, prompt tokens, greedy
 * sampling and no repetition penalty. Rounds alternate which path goes first, so drift in machine
 * load hits both.
 */
export async function measureGeneration(options: MeasureGenerationOptions): Promise<GenerationResults> {
  const models = new LocalModels({
    base: options.models.base,
    instruct: options.models.instruct,
    gpu: false,
    threads: options.threads,
  });
  const rows: GenerationRow[] = [];
  const skipped: string[] = [];
  try {
    await models.whenSettled();
    for (const role of ["base", "instruct"] as const) {
      const status = models.status(role);
      if (status.state !== "ready") {
        skipped.push(`${role} (${options.models[role]}): ${describeStatus(status)}`);
        continue;
      }
      rows.push(await measureModel(role, models.get(role), options));
    }
  } finally {
    await models.dispose();
  }
  return { rows, skipped };
}

async function measureModel(
  role: ModelRole,
  loaded: LoadedModel,
  options: MeasureGenerationOptions,
): Promise<GenerationRow> {
  const { model } = loaded;
  const botSequence: LlamaContextSequence | undefined = loaded.sequences[0];
  if (!botSequence) throw new Error(`${loaded.name} has no sequence`);
  const bareContext = await model.createContext({
    contextSize: loaded.contextSize,
    threads: options.threads,
  });
  const bareSequence = bareContext.getSequence();
  const completion = new LlamaCompletion({ contextSequence: bareSequence });
  try {
    const promptTokens = tokenizePrompt(model, options.prompt).tokens;
    // LlamaCompletion puts BOS in front itself; given our tokens the two prompts are identical (given
    // a string it would drop SentencePiece's leading space, which changes the story).
    const bareInput = promptTokens[0] === model.tokens.bos ? promptTokens.slice(1) : promptTokens;
    const maxTokens = Math.max(1, Math.min(options.tokens, loaded.contextSize - promptTokens.length - 1));

    const runBare = async (): Promise<Run> => {
      await bareSequence.clearHistory();
      let tokens = 0;
      let firstTokenAt: number | undefined;
      let threads = 0;
      const startedAt = performance.now();
      const { response: text, metadata } = await completion.generateCompletionWithMeta(bareInput, {
        maxTokens,
        temperature: 0,
        repeatPenalty: false,
        onToken: (chunk) => {
          firstTokenAt ??= performance.now();
          threads = Math.max(threads, bareContext.currentThreads);
          tokens += chunk.length;
        },
      });
      const endedAt = performance.now();
      const stopReason = metadata.stopReason === "maxTokens" ? "max-tokens" : "end-of-turn";
      return { text, tokens, stopReason, startedAt, firstTokenAt, endedAt, threads };
    };

    const runBot = async (): Promise<Run> => {
      await botSequence.clearHistory();
      let firstTokenAt: number | undefined;
      let threads = 0;
      const startedAt = performance.now();
      const result = await generate(botSequence, promptTokens, {
        maxTokens,
        temperature: 0,
        stopTokens: loaded.endOfTurnTokens,
        onText: () => {
          firstTokenAt ??= performance.now();
          threads = Math.max(threads, loaded.context.currentThreads);
        },
      });
      // The next generation on this sequence waits for this, so it belongs to the run's time.
      await result.released;
      const endedAt = performance.now();
      const { tokens, stopReason } = result.stats;
      return { text: result.text, tokens, stopReason, startedAt, firstTokenAt, endedAt, threads };
    };

    // Warm-up (not counted), and the check that both paths produce the same greedy text.
    const bareWarm = await runBare();
    const botWarm = await runBot();
    // `generate` shows special tokens (stories260K starts a new story with a visible `<s>`); LlamaCompletion hides them.
    const specials = [model.tokens.bosString, model.tokens.eosString].filter(
      (special): special is string => typeof special === "string" && special !== "",
    );
    const visible = specials.reduce((text, special) => text.replaceAll(special, ""), botWarm.text);
    const sameText =
      visible === bareWarm.text &&
      botWarm.tokens === bareWarm.tokens &&
      botWarm.stopReason === bareWarm.stopReason;

    const pairMs = bareWarm.endedAt - bareWarm.startedAt + (botWarm.endedAt - botWarm.startedAt);
    const rounds = Math.max(
      Math.min(options.rounds, 3),
      Math.min(options.rounds, Math.floor(options.budgetMs / pairMs)),
    );
    const bare: Run[] = [];
    const bot: Run[] = [];
    for (let round = 0; round < rounds; round++) {
      if (round % 2 === 0) {
        bare.push(await runBare());
        bot.push(await runBot());
      } else {
        bot.push(await runBot());
        bare.push(await runBare());
      }
    }
    return {
      role,
      modelName: loaded.name,
      path: loaded.path,
      contextSize: loaded.contextSize,
      botSequences: loaded.sequences.length,
      promptTokens: promptTokens.length,
      tokens: botWarm.tokens,
      stopReason: botWarm.stopReason,
      sameText,
      rounds,
      bare: {
        tokensPerSecond: bare.map(decodeRate),
        timeToFirstTokenMs: bare.map(timeToFirstToken),
        threads: bareWarm.threads,
      },
      bot: {
        tokensPerSecond: bot.map(decodeRate),
        timeToFirstTokenMs: bot.map(timeToFirstToken),
        threads: botWarm.threads,
      },
    };
  } finally {
    completion.dispose();
    await bareContext.dispose();
  }
}
