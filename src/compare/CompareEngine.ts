import type { LlamaContextSequence, Token } from "node-llama-cpp";
import { UserError } from "../errors.ts";
import { applyChatTemplate } from "../llm/applyChatTemplate.ts";
import { PromptTooLongError } from "../llm/errors/PromptTooLongError.ts";
import type { GenerationQueue, QueuedJob } from "../llm/GenerationQueue.ts";
import { GenerationSpeed } from "../llm/GenerationSpeed.ts";
import { type GenerationResult, type GenerationStats, generate } from "../llm/generate.ts";
import type { LoadedModel } from "../llm/LoadedModel.ts";
import type { LocalModels } from "../llm/LocalModels.ts";
import { resolveSampling, type SamplingRequest } from "../llm/resolveSampling.ts";
import { samplingLimits } from "../llm/samplingLimits.ts";
import { tokenizePrompt } from "../llm/tokenizePrompt.ts";
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
  onQueuePosition?(position: number): void;
  onStart?(): void;
  onText?(key: CompareSideKey, chunk: string): void;
  onSideDone?(side: CompareSide): void;
}

export interface CompareRequest {
  userId: string;
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
  models: LocalModels;
  /** Its `slots` must not exceed the models' `parallel`. */
  queue: GenerationQueue;
  /** Tokens per side when the member does not say. Default `samplingLimits.maxTokens.default` (200). */
  defaultMaxTokens?: number;
  /** Most tokens per side a member may ask for; more is refused. Default `samplingLimits.maxTokens.limit` (1000). */
  maxTokensLimit?: number;
  /** Wall-clock limit of one run, in ms. Default 120 000. */
  timeLimitMs?: number;
  /** Generates one side. Default `generate`; tests inject failures through it. */
  generate?: typeof generate;
  /** Draws seeds when the member gives none. Default `Math.random`. */
  random?: () => number;
}

interface PlannedSide {
  side: CompareSide;
  model: LoadedModel;
  tokens: Token[];
  sequence: (slot: number) => LlamaContextSequence;
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
  private readonly models: LocalModels;
  private readonly queue: GenerationQueue;
  private readonly defaultMaxTokens: number;
  private readonly maxTokensLimit: number;
  private readonly timeLimitMs: number;
  private readonly generate: typeof generate;
  private readonly random: () => number;
  private readonly speeds = new WeakMap<LoadedModel, GenerationSpeed>();
  private nextId = 1;

  constructor(options: CompareEngineOptions) {
    if (options.queue.slots > options.models.parallel) {
      throw new Error(
        `GenerationQueue has ${options.queue.slots} slots but the models serve ${options.models.parallel} at once`,
      );
    }
    this.models = options.models;
    this.queue = options.queue;
    this.defaultMaxTokens = options.defaultMaxTokens ?? samplingLimits.maxTokens.default;
    this.maxTokensLimit = options.maxTokensLimit ?? samplingLimits.maxTokens.limit;
    this.timeLimitMs = options.timeLimitMs ?? 120_000;
    this.generate = options.generate ?? generate;
    this.random = options.random ?? Math.random;
  }

  /**
   * Tokenizes the prompt for every side and queues the run. Throws a `UserError` when it cannot
   * be queued: models not ready, a sampling value out of range, empty or too long prompt, one run
   * per member, cooldown, deadline.
   */
  start(request: CompareRequest): CompareRun {
    const prompt = request.prompt;
    if (prompt.trim() === "") throw new UserError("The prompt is empty.");
    const mode = request.mode ?? "side-by-side";
    const base = this.models.get("base");
    const instruct = this.models.get("instruct");
    const sampling = resolveSampling(request.sampling, {
      defaultMaxTokens: this.defaultMaxTokens,
      maxTokensLimit: this.maxTokensLimit,
      random: this.random,
    });

    const planned = this.plan(prompt, mode, base, instruct);
    const memberTokens = base.model.tokenize(prompt, false).length;
    this.checkContextRoom(Math.max(...planned.map((entry) => entry.tokens.length)), planned);

    const id = this.nextId++;
    const listener = request.listener ?? {};
    const prompts = planned.map((entry) => entry.prompt);
    const sides = planned.map((entry) => entry.side);
    let queuePosition = 0;
    let finished = false;
    const snapshot = (): CompareSnapshot => ({
      id,
      prompt,
      mode,
      sampling,
      queuePosition,
      sides: sides.map((side) => ({ ...side })),
      prompts,
      finished,
    });

    const job: QueuedJob<CompareSnapshot> = this.queue.submit({
      userId: request.userId,
      promptTokens: memberTokens,
      timeLimitMs: this.timeLimitMs,
      expectedRunMs: Math.max(
        ...planned.map(({ model, tokens }) =>
          this.speedOf(model).estimateMs(
            tokens.length,
            Math.min(sampling.maxTokens, model.contextSize - tokens.length),
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
          planned.map(async ({ side, model, tokens, sequence }) => {
            side.state = "running";
            let result: GenerationResult | undefined;
            try {
              result = await this.generate(sequence(slot), tokens, {
                ...sampling,
                timeLimitMs,
                signal,
                stopTokens: model.endOfTurnTokens,
                onText: (chunk) => {
                  side.text += chunk;
                  listener.onText?.(side.key, chunk);
                },
              });
              side.stats = result.stats;
              this.speedOf(model).record(result.stats);
            } catch (error) {
              side.error = `generation failed: ${error instanceof Error ? error.message : String(error)}`;
            }
            side.state = "done";
            listener.onSideDone?.({ ...side });
            return result;
          }),
        );
        // The slot is free only when llama.cpp has let go of every sequence.
        await Promise.allSettled(results.map((result) => result?.released));
        finished = true;
        return snapshot();
      },
    });
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
   * Stops taking runs (`start` throws a `QueueClosedError`), rejects queued ones with a
   * `QueueClosedError` without starting them, stops running ones at once (their sides end with
   * stop reason `"restarting"`), and resolves once every run has settled.
   */
  close(): Promise<void> {
    return this.queue.close();
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

  private speedOf(model: LoadedModel): GenerationSpeed {
    let speed = this.speeds.get(model);
    if (!speed) {
      speed = new GenerationSpeed({ modelBytes: model.model.size, threads: model.context.idealThreads });
      this.speeds.set(model, speed);
    }
    return speed;
  }

  private plan(
    prompt: string,
    mode: CompareMode,
    base: LoadedModel,
    instruct: LoadedModel,
  ): (PlannedSide & { prompt: PromptShown })[] {
    const rendered = applyChatTemplate(instruct.model, instruct.chatTemplate ?? "", [
      { role: "user", content: prompt },
    ]);
    const entries: [
      CompareSideKey,
      LoadedModel,
      ReturnType<typeof tokenizePrompt>,
      (slot: number) => LlamaContextSequence,
    ][] = [
      ["base", base, tokenizePrompt(base.model, prompt), (slot) => sequenceAt(base, slot)],
      [
        "instruct",
        instruct,
        tokenizePrompt(instruct.model, rendered),
        (slot) => sequenceAt(instruct, 2 * slot),
      ],
    ];
    if (mode === "three-way") {
      entries.push([
        "instruct-raw",
        instruct,
        tokenizePrompt(instruct.model, prompt),
        (slot) => sequenceAt(instruct, 2 * slot + 1),
      ]);
    }
    return entries.map(([key, model, tokenized, sequence]) => ({
      model,
      tokens: tokenized.tokens,
      sequence,
      side: {
        key,
        label: `${SIDE_TITLES[key]} · ${model.name}`,
        modelName: model.name,
        state: "waiting",
        text: "",
      },
      prompt: {
        key,
        modelName: model.name,
        format: key === "instruct" ? "chat-template" : "raw",
        text: tokenized.shownText,
        tokenCount: tokenized.tokens.length,
        neutralizedSpecialTokens: tokenized.neutralizedSpecialTokens,
      },
    }));
  }
}

function sequenceAt(model: LoadedModel, index: number): LlamaContextSequence {
  const sequence = model.sequences[index];
  if (!sequence)
    throw new Error(`${model.name} has no sequence ${index}; is the queue wider than the models?`);
  return sequence;
}
