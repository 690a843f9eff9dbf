import type { LlamaContextSequence, Token } from "node-llama-cpp";
import { QueueClosedError } from "./errors/QueueClosedError.ts";
import { SamplingValueError } from "./errors/SamplingValueError.ts";

/**
 * Why a generation ended: its end-of-turn token, `maxTokens`, the context filled up before
 * `maxTokens` (`"context-full"`), its time limit, a stop (`"stopped"`), or the queue shutting down
 * (`"restarting"`: the signal was aborted with a `QueueClosedError`).
 */
export type StopReason =
  | "end-of-turn"
  | "max-tokens"
  | "context-full"
  | "time-limit"
  | "stopped"
  | "restarting";

export interface SamplingOptions {
  /** Softmax temperature; `0` always takes the most likely token (greedy). Default `0`. */
  temperature?: number;
  /** Nucleus sampling: keep the smallest set of tokens whose probabilities add up to this. Default `1` (off). */
  topP?: number;
  /** Keep only the `topK` most likely tokens; `0` keeps all. Default `0`. */
  topK?: number;
  /** Seed of the sampler, for repeatable runs at `temperature > 0`. Default: the current time. */
  seed?: number;
}

export interface GenerateOptions extends SamplingOptions {
  /** Most tokens to generate; also capped by the room left in the context. Default `200`. */
  maxTokens?: number;
  /** Wall-clock limit in milliseconds, prompt evaluation included. Default: none. */
  timeLimitMs?: number;
  /**
   * Aborting stops generation at once: stop reason `"restarting"` when the abort reason is a
   * `QueueClosedError`, `"stopped"` otherwise.
   */
  signal?: AbortSignal;
  /**
   * Tokens that end the turn besides the model's own end-of-generation tokens (EOS, EOT), such as
   * the control token a chat template writes after an assistant message. Default: none.
   */
  stopTokens?: ReadonlySet<Token>;
  /** Receives the text as it is generated, in chunks that never split a UTF-8 character. */
  onText?: (chunk: string) => void;
}

export interface GenerationStats {
  /** Tokens of the prompt (BOS included). */
  promptTokens: number;
  /** Tokens generated; the end-of-turn token is not counted. */
  tokens: number;
  /** Decoding speed: tokens after the first, per second after the first (prompt evaluation excluded). */
  tokensPerSecond: number;
  /** From the call to the first generated token (prompt evaluation included), in ms; `null` if none came. */
  timeToFirstTokenMs: number | null;
  /** From the call to the stop, in ms. */
  totalMs: number;
  stopReason: StopReason;
  /** Decoding speed as an inference server measured it itself (llama-server's `timings`), when it says. */
  engineTokensPerSecond?: number;
}

export interface GenerationResult {
  text: string;
  stats: GenerationStats;
  /**
   * Resolves when the sequence is free for the next generation. A stop does not wait for the
   * token being computed (one prompt evaluation can take seconds on a CPU), so the result comes
   * first and the sequence is freed when llama.cpp returns.
   */
  released: Promise<void>;
}

const REPLACEMENT_CHARACTER = "\uFFFD";
/** A UTF-8 character has at most four bytes, so at most four byte tokens. */
const MAX_HELD_TOKENS = 4;
const STOP = Symbol("stop");

/**
 * llama.cpp's sampler throws on a value that is not a number, and node-llama-cpp then never settles
 * the evaluation (the rejection goes unhandled and the sequence stays busy), so bad values are
 * refused before the sequence is touched.
 */
function checkSampling(options: GenerateOptions): void {
  const checks: [string, number | undefined, (value: number) => boolean, string][] = [
    ["temperature", options.temperature, (v) => v >= 0, "a finite number ≥ 0"],
    ["top_p", options.topP, (v) => v > 0 && v <= 1, "a number above 0 up to 1"],
    ["top_k", options.topK, (v) => Number.isInteger(v) && v >= 0, "a whole number ≥ 0"],
    ["seed", options.seed, (v) => Number.isInteger(v) && v >= 0, "a whole number ≥ 0"],
    ["max_tokens", options.maxTokens, (v) => Number.isInteger(v) && v >= 0, "a whole number ≥ 0"],
  ];
  for (const [setting, value, valid, expected] of checks) {
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isFinite(value) || !valid(value)) {
      throw new SamplingValueError(setting, `${setting} must be ${expected}; got ${String(value)}.`);
    }
  }
}

/**
 * Generates a continuation of `promptTokens` on `sequence`, streaming text through `onText`.
 * Throws a `SamplingValueError`, before touching the sequence, when a sampling value is not a
 * finite number in its range.
 * Whatever the sequence held before is erased except a common prefix, whose evaluation is reused
 * (a re-roll of the same prompt skips straight to sampling). No repetition penalty is applied:
 * the point is to show what the model itself does.
 */
export async function generate(
  sequence: LlamaContextSequence,
  promptTokens: readonly Token[],
  options: GenerateOptions = {},
): Promise<GenerationResult> {
  checkSampling(options);
  const startedAt = performance.now();
  const model = sequence.model;
  const { onText, stopTokens, signal } = options;
  const requestedTokens = options.maxTokens ?? 200;
  const room = Math.max(0, sequence.contextSize - promptTokens.length);
  const maxTokens = Math.min(requestedTokens, room);
  const limitReason: StopReason = requestedTokens > room ? "context-full" : "max-tokens";

  let stopReason: StopReason | undefined;
  let wake: () => void = () => {};
  const stopRequested = new Promise<typeof STOP>((resolve) => {
    wake = () => resolve(STOP);
  });
  const requestStop = (reason: StopReason) => {
    stopReason ??= reason;
    wake();
  };
  const onAbort = () => requestStop(signal?.reason instanceof QueueClosedError ? "restarting" : "stopped");
  if (signal?.aborted) onAbort();
  signal?.addEventListener("abort", onAbort, { once: true });
  const timer =
    options.timeLimitMs === undefined
      ? undefined
      : setTimeout(() => requestStop("time-limit"), options.timeLimitMs);

  const generated: Token[] = [];
  const history: Token[] = [...promptTokens];
  let held: Token[] = [];
  let text = "";
  let firstTokenAt: number | undefined;
  let stoppedAt = startedAt;
  let released: Promise<void> = Promise.resolve();

  const emit = (chunk: string) => {
    if (chunk === "") return;
    text += chunk;
    onText?.(chunk);
  };

  try {
    if (stopReason === undefined && maxTokens === 0) stopReason = limitReason;
    if (stopReason === undefined) {
      // Keep at least the last prompt token to evaluate: sampling needs its logits.
      await sequence.adaptStateToTokens(promptTokens.slice(0, -1), false);
      const iterator = sequence.evaluate(promptTokens.slice(sequence.nextTokenIndex), {
        temperature: options.temperature ?? 0,
        topP: options.topP,
        topK: options.topK,
        seed: options.seed,
        yieldEogToken: false,
      });
      let inFlight: Promise<unknown> = Promise.resolve();
      try {
        while (stopReason === undefined) {
          const next = iterator.next();
          const step = await Promise.race([next, stopRequested]);
          if (step === STOP) {
            inFlight = next;
            break;
          }
          if (step.done) {
            stopReason = "end-of-turn";
            break;
          }
          const token = step.value;
          firstTokenAt ??= performance.now();
          if (stopTokens?.has(token)) {
            stopReason = "end-of-turn";
            break;
          }
          generated.push(token);
          held.push(token);
          const chunk = model.detokenize(held, true, history);
          if (!chunk.endsWith(REPLACEMENT_CHARACTER) || held.length >= MAX_HELD_TOKENS) {
            emit(chunk);
            history.push(...held);
            held = [];
          }
          if (generated.length >= maxTokens) stopReason = limitReason;
        }
      } finally {
        // Closing the generator frees the sequence; after a stop that waits for the token in flight.
        const close = () => iterator.return();
        released = inFlight.then(close, close).then(
          () => undefined,
          () => undefined,
        );
      }
    }
    if (held.length > 0) emit(model.detokenize(held, true, history));
  } finally {
    stoppedAt = performance.now();
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }

  const decodeMs = firstTokenAt === undefined ? 0 : stoppedAt - firstTokenAt;
  const tokensPerSecond =
    generated.length > 1 && decodeMs > 0
      ? ((generated.length - 1) * 1000) / decodeMs
      : generated.length > 0
        ? (generated.length * 1000) / Math.max(1, stoppedAt - startedAt)
        : 0;
  return {
    text,
    released,
    stats: {
      promptTokens: promptTokens.length,
      tokens: generated.length,
      tokensPerSecond,
      timeToFirstTokenMs: firstTokenAt === undefined ? null : firstTokenAt - startedAt,
      totalMs: stoppedAt - startedAt,
      stopReason: stopReason ?? "stopped",
    },
  };
}
