import { EngineError } from "../engines/EngineError.ts";
import { UserError } from "../errors.ts";
import { PromptTooLongError } from "../llm/errors/PromptTooLongError.ts";
import type { QueuedJob } from "../llm/GenerationQueue.ts";
import type { GenerationResult, GenerationStats } from "../llm/generate.ts";
import type { ModelSide } from "../llm/ModelSide.ts";
import { resolveSampling, type SamplingRequest } from "../llm/resolveSampling.ts";
import { samplingLimits } from "../llm/samplingLimits.ts";
import type { PromptTokens } from "../llm/tokenizePrompt.ts";
import type { PairLease, PairSource } from "../pairs/PairSource.ts";
import type { CompareSideKey } from "./CompareSideKey.ts";

export type { CompareSideKey } from "./CompareSideKey.ts";
export type CompareMode = "side-by-side" | "three-way";
/**
 * Sampling settings of a run; defaults and ranges come from `samplingLimits`, and `maxTokens` may
 * not exceed the engine's `maxTokensLimit`. A value that is not a finite number in its range is
 * refused with a `SamplingValueError`.
 */
export type CompareSampling = SamplingRequest;

/** What one model was fed, for "Show prompts". */
export interface PromptShown {
  key: CompareSideKey;
  modelName: string;
  /** `raw`: the member's text as is; `chat-template`: wrapped in the model's chat template. */
  format: "raw" | "chat-template";
  /** Exactly what the model received, special tokens spelled out (BOS too, when the tokenizer adds one). */
  text: string;
  tokenCount: number;
  /** Special-token strings the member typed, fed as plain text (see `tokenizePrompt`). */
  neutralizedSpecialTokens: string[];
}

export interface CompareSide {
  key: CompareSideKey;
  /** `Base · SmolLM2-135M`, `Instruct · …`, `Instruct on raw text · …`. */
  label: string;
  modelName: string;
  state: "waiting" | "running" | "done";
  /** The reply so far. */
  text: string;
  /** Once done, unless it failed. */
  stats?: GenerationStats;
  /** Once done, when it failed: `generation failed: …`. */
  error?: string;
}

export interface CompareSnapshot {
  id: number;
  prompt: string;
  mode: CompareMode;
  sampling: Required<CompareSampling>;
  /** The pair's id and label. */
  pair: { id: string; label: string };
  /** Place in the queue while waiting (1 = next); 0 once started. */
  queuePosition: number;
  sides: CompareSide[];
  prompts: PromptShown[];
  finished: boolean;
}

/**
 * Callbacks during a run, never called before `start` has returned. They must not throw; they run
 * inside the generation loop, so keep them quick.
 */
export interface CompareListener {
  /** The pair is not loaded yet: the run waits for it to load (`pairLabel` names it). */
  onLoading?(pairLabel: string): void;
  onQueuePosition?(position: number): void;
  onStart?(): void;
  onText?(key: CompareSideKey, chunk: string): void;
  onSideDone?(side: CompareSide): void;
}

export interface CompareRequest {
  userId: string;
  /** The pair's id; absent, the default pair. */
  pair?: string;
  prompt: string;
  /** Default `"side-by-side"`. */
  mode?: CompareMode;
  sampling?: CompareSampling;
  /** Epoch ms by which the run must be over (the interaction token's expiry). Default: none. */
  deadline?: number;
  listener?: CompareListener;
}

export interface CompareRun {
  readonly id: number;
  /** Available at once, before the run starts. */
  readonly prompts: readonly PromptShown[];
  /** Place in the queue when submitted; 0 = started at once. */
  readonly position: number;
  /** The current state, for throttled message edits. */
  snapshot(): CompareSnapshot;
  /** Drops the run if queued; stops every side if running (stop reason `stopped`). */
  stop(): void;
  /**
   * The final snapshot once every side is done; a side whose generation failed carries an
   * `error` and the others finish normally. Rejects with a `JobCancelledError`,
   * `QueueClosedError` or `DeadlineError` (all `UserError`s) when the run never started.
   */
  readonly done: Promise<CompareSnapshot>;
}

export interface CompareEngineOptions {
  /** The pairs runs use, each with its sides and its queue. */
  pairs: PairSource;
  /** Tokens per side when the member does not say. Default `samplingLimits.maxTokens.default` (200). */
  defaultMaxTokens?: number;
  /** Most tokens per side a member may ask for; more is refused. Default `samplingLimits.maxTokens.limit` (1000). */
  maxTokensLimit?: number;
  /** Wall-clock limit of one run, in ms. Default 120 000. */
  timeLimitMs?: number;
  /** Draws seeds when the member gives none. Default `Math.random`. */
  random?: () => number;
}

interface PlannedSide {
  side: CompareSide;
  model: ModelSide;
  prompt: PromptTokens;
  /** Which of the run's streams on its model: the three-way raw instruct side is the second. */
  stream: number;
}

const SIDE_TITLES: Record<CompareSideKey, string> = {
  base: "Base",
  instruct: "Instruct",
  "instruct-raw": "Instruct on raw text",
};

/**
 * `/compare`: one prompt, fed as raw text to the base model and through the chat template to the
 * instruct model (and, in three-way mode, as raw text to the instruct model too), all sides
 * generating at once with the same sampling settings.
 */
export class CompareEngine {
  private readonly pairs: PairSource;
  private readonly defaultMaxTokens: number;
  private readonly maxTokensLimit: number;
  private readonly timeLimitMs: number;
  private readonly random: () => number;
  private nextId = 1;

  constructor(options: CompareEngineOptions) {
    this.pairs = options.pairs;
    this.defaultMaxTokens = options.defaultMaxTokens ?? samplingLimits.maxTokens.default;
    this.maxTokensLimit = options.maxTokensLimit ?? samplingLimits.maxTokens.limit;
    this.timeLimitMs = options.timeLimitMs ?? 120_000;
    this.random = options.random ?? Math.random;
  }

  /**
   * Gets the pair (loading it when needed), tokenizes the prompt for every side and queues the
   * run on the pair's queue. Rejects with a `UserError` when it cannot be queued: pair unknown or
   * not ready, a sampling value out of range, empty or too long prompt, one run per member,
   * cooldown, deadline.
   */
  async start(request: CompareRequest): Promise<CompareRun> {
    const prompt = request.prompt;
    if (prompt.trim() === "") throw new UserError("The prompt is empty.");
    const sampling = resolveSampling(request.sampling, {
      defaultMaxTokens: this.defaultMaxTokens,
      maxTokensLimit: this.maxTokensLimit,
      random: this.random,
    });
    const lease = await this.pairs.acquire(request.pair, (label) => request.listener?.onLoading?.(label));
    try {
      return await this.queueRun(lease, request, sampling);
    } catch (error) {
      lease.release();
      if (error instanceof EngineError) {
        throw new UserError(
          `I could not prepare the prompt: ${error.message}. Lessons and quizzes still work.`,
        );
      }
      throw error;
    }
  }

  private async queueRun(
    lease: PairLease,
    request: CompareRequest,
    sampling: Required<CompareSampling>,
  ): Promise<CompareRun> {
    const { prompt } = request;
    const mode = request.mode ?? "side-by-side";
    const planned = await this.plan(prompt, mode, lease.base, lease.instruct);
    const memberTokens = await lease.base.countTokens(prompt);
    this.checkContextRoom(Math.max(...planned.map((entry) => entry.prompt.tokens.length)), planned);

    const id = this.nextId++;
    const listener = request.listener ?? {};
    const prompts = planned.map((entry) => entry.shown);
    const sides = planned.map((entry) => entry.side);
    const pair = { id: lease.pairId, label: lease.label };
    let queuePosition = 0;
    let finished = false;
    const snapshot = (): CompareSnapshot => ({
      id,
      prompt,
      mode,
      sampling,
      pair,
      queuePosition,
      sides: sides.map((side) => ({ ...side })),
      prompts,
      finished,
    });

    const job: QueuedJob<CompareSnapshot> = lease.queue.submit({
      userId: request.userId,
      promptTokens: memberTokens,
      timeLimitMs: this.timeLimitMs,
      expectedRunMs: Math.max(
        ...planned.map(({ model, prompt }) =>
          model.estimateMs(
            prompt.tokens.length,
            Math.min(sampling.maxTokens, model.contextSize - prompt.tokens.length),
          ),
        ),
      ),
      deadline: request.deadline,
      onPositionChange: (position) => {
        queuePosition = position;
        listener.onQueuePosition?.(position);
      },
      run: async ({ slot, signal, timeLimitMs }) => {
        // The queue may start the job inside `submit`; listeners hear of it after `start` returns.
        await Promise.resolve();
        queuePosition = 0;
        listener.onStart?.();
        const results = await Promise.all(
          planned.map(async ({ side, model, prompt, stream }) => {
            side.state = "running";
            let result: GenerationResult | undefined;
            try {
              result = await model.generate(prompt, {
                ...sampling,
                slot,
                stream,
                timeLimitMs,
                signal,
                onText: (chunk) => {
                  side.text += chunk;
                  listener.onText?.(side.key, chunk);
                },
              });
              side.stats = result.stats;
            } catch (error) {
              side.error = `generation failed: ${error instanceof Error ? error.message : String(error)}`;
            }
            side.state = "done";
            listener.onSideDone?.({ ...side });
            return result;
          }),
        );
        // The slot is free only when every side has let go of what it generated on.
        await Promise.allSettled(results.map((result) => result?.released));
        finished = true;
        return snapshot();
      },
    });
    void job.result.then(lease.release, lease.release);
    queuePosition = job.position;
    return {
      id,
      prompts,
      position: job.position,
      snapshot,
      stop: () => job.cancel(),
      done: job.result,
    };
  }

  /**
   * Stops taking runs (`start` rejects with a `QueueClosedError`), rejects queued ones with a
   * `QueueClosedError` without starting them, stops running ones at once (their sides end with
   * stop reason `"restarting"`), and resolves once every run has settled.
   */
  close(): Promise<void> {
    return this.pairs.closeQueues();
  }

  /**
   * The queue checks the member's own text against `maxPromptTokens`; this checks what each model
   * really reads (the template included) against its context, which must keep room for a reply.
   */
  private checkContextRoom(longest: number, planned: readonly PlannedSide[]): void {
    const contextSize = Math.min(...planned.map((entry) => entry.model.contextSize));
    const limit = contextSize - 1;
    if (longest <= limit) return;
    const counted = planned.length > 1 ? ", counting the chat template the instruct model reads" : "";
    throw new PromptTooLongError(
      longest,
      limit,
      `Your prompt is ${longest} tokens long${counted}; the models' context holds ${contextSize} tokens, so the limit is ${limit} to leave room for a reply. Please shorten it.`,
    );
  }

  private async plan(
    prompt: string,
    mode: CompareMode,
    base: ModelSide,
    instruct: ModelSide,
  ): Promise<(PlannedSide & { shown: PromptShown })[]> {
    const rendered = instruct.renderChat([{ role: "user", content: prompt }]);
    const entries: [CompareSideKey, ModelSide, Promise<PromptTokens>, number][] = [
      ["base", base, base.tokenizePrompt(prompt), 0],
      ["instruct", instruct, instruct.tokenizePrompt(rendered), 0],
    ];
    if (mode === "three-way") entries.push(["instruct-raw", instruct, instruct.tokenizePrompt(prompt), 1]);
    return Promise.all(
      entries.map(async ([key, model, tokenizing, stream]) => {
        const tokenized = await tokenizing;
        return {
          model,
          prompt: tokenized,
          stream,
          side: {
            key,
            label: `${SIDE_TITLES[key]} · ${model.name}`,
            modelName: model.name,
            state: "waiting" as const,
            text: "",
          },
          shown: {
            key,
            modelName: model.name,
            format: key === "instruct" ? ("chat-template" as const) : ("raw" as const),
            text: tokenized.shownText,
            tokenCount: tokenized.tokens.length,
            neutralizedSpecialTokens: tokenized.neutralizedSpecialTokens,
          },
        };
      }),
    );
  }
}
