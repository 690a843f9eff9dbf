import { availableParallelism } from "node:os";
import { basename } from "node:path";
import {
  getLlama,
  type Llama,
  type LlamaContext,
  LlamaLogLevel,
  type LlamaModel,
  readGgufFileInfo,
  resolveModelFile,
} from "node-llama-cpp";
import { checkGgufContents } from "./checkGgufContents.ts";
import { checkGgufHeader } from "./checkGgufHeader.ts";
import { ModelConfigError } from "./errors/ModelConfigError.ts";
import { ModelNotReadyError } from "./errors/ModelNotReadyError.ts";
import { findEndOfTurnTokens } from "./findEndOfTurnTokens.ts";
import type { LoadedModel } from "./LoadedModel.ts";
import { isModelUri, locateModelFile } from "./locateModelFile.ts";
import { measurePromptOverhead, planContextSize } from "./planContextSize.ts";
import { samplingLimits } from "./samplingLimits.ts";

export type ModelRole = "base" | "instruct";

export type ModelStatus =
  | { state: "loading"; spec: string }
  | { state: "downloading"; spec: string; downloadedBytes: number; totalBytes: number }
  | { state: "ready"; spec: string; path: string; name: string }
  /** No file yet: `file` says what was looked for, `hint` how to get it. */
  | { state: "missing"; spec: string; file: string; hint: string }
  /** The file is there but could not be loaded (corrupt, unsupported, out of memory…). */
  | { state: "failed"; spec: string; reason: string }
  /** The file loads but cannot play its role; the settings must change. */
  | { state: "misconfigured"; spec: string; error: ModelConfigError };

export type LogLevel = "error" | "warn" | "info" | "debug";

export interface LocalModelsOptions {
  /** The base model: a GGUF path or an `hf:`/`https:` URI. */
  base: string;
  /** The instruct model: same forms; its GGUF must carry `tokenizer.chat_template`. */
  instruct: string;
  /** Where URIs are looked up (and downloaded to, with `autoDownload`). Default `"./models"`. */
  modelsDir?: string;
  /** Download a URI model that is not in `modelsDir` yet. Default `false` (status `missing`). */
  autoDownload?: boolean;
  /** `"auto"` uses a GPU when node-llama-cpp finds one; `false` stays on the CPU. Default `"auto"`. */
  gpu?: "auto" | false;
  /**
   * CPU threads of one generation. Default: all cores but one, at least 1. Two generations running
   * at once (base and instruct) share `max(threads, min(2 × threads, cores))` threads, so they
   * never oversubscribe the CPU unless asked to: llama.cpp slows down by orders of magnitude when
   * it has more threads than free cores.
   */
  threads?: number;
  /**
   * Tokens per sequence, capped at the size the model was trained on. Default: sized to a run,
   * {@link maxPromptTokens} plus what the model reads around a prompt (BOS, chat template) plus
   * {@link maxTokens} (see `planContextSize`).
   */
  contextSize?: number;
  /** Longest member prompt in tokens, for sizing the context. Default 512 (`COMPARE_MAX_PROMPT_TOKENS`'s). */
  maxPromptTokens?: number;
  /** Most tokens a run may generate, for sizing the context. Default `samplingLimits.maxTokens.limit` (1000). */
  maxTokens?: number;
  /**
   * Tokens llama.cpp evaluates in one step. Its compute buffer grows with this (about 100 MB at
   * 512 for a 49k vocabulary, 25 MB at 128); prompt evaluation on a CPU was measured as fast at 128
   * as at 512 (and a third slower at 64). Default 128.
   */
  batchSize?: number;
  /**
   * Comparisons that may run at once. The base model gets this many sequences, the instruct
   * model twice as many (a three-way comparison runs two instruct generations). Each model gets
   * one more for `/nexttoken`. Default 1.
   */
  parallel?: number;
  /**
   * Least severe llama.cpp message passed to {@link log}. `"info"` adds what llama.cpp allocates
   * (model, KV cache and compute buffer sizes) and much more. Default `"warn"`.
   */
  llamaLogLevel?: "warn" | "info";
  /** Receives llama.cpp's messages and the loader's own. Default: dropped. */
  log?: (level: LogLevel, message: string) => void;
  /** Called after every status change. */
  onStatusChange?: (role: ModelRole, status: ModelStatus) => void;
}

/** All cores but one, at least one: the default of {@link LocalModelsOptions.threads}. */
export function defaultThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

const DISPOSE_TIMEOUT_MS = 2000;
const DEFAULT_MAX_PROMPT_TOKENS = 512;
const DEFAULT_BATCH_SIZE = 128;

const logLevels: Partial<Record<LlamaLogLevel, LogLevel>> = {
  [LlamaLogLevel.fatal]: "error",
  [LlamaLogLevel.error]: "error",
  [LlamaLogLevel.warn]: "warn",
  [LlamaLogLevel.info]: "info",
};

/**
 * The base and instruct models of `/compare`: resolved from their specs, loaded once in the
 * background, kept loaded, and disposed on shutdown. Nothing here throws at start: every problem
 * becomes a {@link ModelStatus} that the bot can report.
 */
export class LocalModels {
  private readonly options: Required<Omit<LocalModelsOptions, "log" | "onStatusChange" | "contextSize">> &
    Pick<LocalModelsOptions, "log" | "onStatusChange" | "contextSize">;
  private readonly statuses: Record<ModelRole, ModelStatus>;
  private readonly loaded = new Map<ModelRole, LoadedModel>();
  private readonly abort = new AbortController();
  private llama: Llama | undefined;
  private settled: Promise<void> | undefined;
  /** llama.cpp explains load failures in its log, not in the error it throws. */
  private lastLlamaError: string | undefined;
  /** After a failed load, `Llama.dispose()` may never return (node-llama-cpp 3.22). */
  private loadFailed = false;

  constructor(options: LocalModelsOptions) {
    // Field by field: an option passed as `undefined` (an unset setting) still gets its default.
    this.options = {
      base: options.base,
      instruct: options.instruct,
      modelsDir: options.modelsDir ?? "./models",
      autoDownload: options.autoDownload ?? false,
      gpu: options.gpu ?? "auto",
      threads: options.threads ?? defaultThreads(),
      contextSize: options.contextSize,
      maxPromptTokens: options.maxPromptTokens ?? DEFAULT_MAX_PROMPT_TOKENS,
      maxTokens: options.maxTokens ?? samplingLimits.maxTokens.limit,
      batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
      llamaLogLevel: options.llamaLogLevel ?? "warn",
      parallel: options.parallel ?? 1,
      log: options.log,
      onStatusChange: options.onStatusChange,
    };
    this.statuses = {
      base: { state: "loading", spec: options.base },
      instruct: { state: "loading", spec: options.instruct },
    };
  }

  /** Sequences per model for {@link LocalModelsOptions.parallel} comparisons at once. */
  get parallel(): number {
    return this.options.parallel;
  }

  /** Starts resolving and loading both models, and returns at once. Calling it again does nothing. */
  start(): void {
    this.settled ??= this.loadAll();
  }

  /** Resolves once both models are ready or have failed (never rejects). Starts loading if needed. */
  whenSettled(): Promise<void> {
    this.start();
    return this.settled ?? Promise.resolve();
  }

  /** False while either model is still loading or downloading. */
  get isSettled(): boolean {
    return (["base", "instruct"] as const).every((role) => {
      const state = this.statuses[role].state;
      return state !== "loading" && state !== "downloading";
    });
  }

  /** Like {@link whenSettled}, but gives up waiting after `timeoutMs` (the models keep loading). */
  async waitUntilSettled(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.whenSettled(),
      new Promise((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }

  status(role: ModelRole): ModelStatus {
    return this.statuses[role];
  }

  /** The loaded model, or a {@link ModelNotReadyError} whose message suits members. */
  get(role: ModelRole): LoadedModel {
    const loaded = this.loaded.get(role);
    if (!loaded) throw new ModelNotReadyError(role, this.statuses[role]);
    return loaded;
  }

  /** Stops loading, frees both models and llama.cpp. Generations must be stopped first. */
  async dispose(): Promise<void> {
    this.abort.abort();
    await this.settled;
    const contexts = [...this.loaded.values()];
    this.loaded.clear();
    for (const { context, model } of contexts) {
      await context.dispose();
      await model.dispose();
    }
    const llama = this.llama;
    this.llama = undefined;
    if (!llama) return;
    if (this.loadFailed) {
      const gaveUp = new Promise<void>((resolve) => setTimeout(resolve, DISPOSE_TIMEOUT_MS).unref());
      await Promise.race([llama.dispose(), gaveUp]);
    } else {
      await llama.dispose();
    }
  }

  private setStatus(role: ModelRole, status: ModelStatus): void {
    this.statuses[role] = status;
    this.options.onStatusChange?.(role, status);
  }

  private log(level: LogLevel, message: string): void {
    this.options.log?.(level, message);
  }

  private async loadAll(): Promise<void> {
    try {
      const threads = this.options.threads;
      this.llama = await getLlama({
        gpu: this.options.gpu,
        build: "never",
        progressLogs: false,
        maxThreads: Math.max(threads, Math.min(2 * threads, availableParallelism())),
        logLevel: this.options.llamaLogLevel === "info" ? LlamaLogLevel.info : LlamaLogLevel.warn,
        logger: (level, message) => {
          const mapped = logLevels[level];
          if (mapped === "error") this.lastLlamaError = message.trim();
          if (mapped) this.log(mapped, message.trim());
        },
      });
      this.log("info", `llama.cpp ready (${this.llama.gpu === false ? "CPU" : `GPU: ${this.llama.gpu}`})`);
    } catch (error) {
      const reason = `llama.cpp could not start: ${(error as Error).message}`;
      for (const role of ["base", "instruct"] as const) {
        this.setStatus(role, { state: "failed", spec: this.statuses[role].spec, reason });
      }
      return;
    }
    // One at a time: halves peak memory, and keeps llama.cpp's log lines attributable.
    for (const role of ["base", "instruct"] as const) {
      if (this.abort.signal.aborted) return;
      await this.loadOne(role);
    }
  }

  private async loadOne(role: ModelRole): Promise<void> {
    const spec = role === "base" ? this.options.base : this.options.instruct;
    const path = await this.findOrDownload(role, spec);
    if (path === undefined || this.abort.signal.aborted) return;

    const headerProblem = await checkGgufHeader(path).catch((error: Error) => error.message);
    if (headerProblem !== null) {
      this.setStatus(role, { state: "failed", spec, reason: `${path}: ${headerProblem}` });
      return;
    }

    const llama = this.llama;
    if (!llama) return;
    let chatTemplate: string | null;
    let name: string;
    try {
      const info = await readGgufFileInfo(path, { signal: this.abort.signal });
      const problem = await checkGgufContents(path, info, llama);
      if (problem !== null) {
        this.setStatus(role, { state: "failed", spec, reason: `${path}: ${problem}` });
        return;
      }
      const template = info.metadata.tokenizer?.chat_template;
      chatTemplate = typeof template === "string" && template.trim() !== "" ? template : null;
      name = info.metadata.general?.name ?? basename(path);
    } catch (error) {
      this.setStatus(role, { state: "failed", spec, reason: `${path}: ${(error as Error).message}` });
      return;
    }
    if (role === "instruct" && chatTemplate === null) {
      const error = new ModelConfigError(
        `INSTRUCT_MODEL (${spec}) has no tokenizer.chat_template; pick an instruct/chat GGUF.`,
      );
      this.setStatus(role, { state: "misconfigured", spec, error });
      return;
    }

    let model: LlamaModel | undefined;
    let context: LlamaContext | undefined;
    try {
      this.lastLlamaError = undefined;
      model = await this.whileLoading((signal) =>
        // Read rather than mapped: where llama.cpp repacks weights for the CPU (AMX, ARM), a mapped
        // file stays resident beside the repacked copy (measured: +180 MB RSS for two 144 MB models).
        llama.loadModel({ modelPath: path, loadSignal: signal, useMmap: false }),
      );
      const loadedModel = model;
      const compareSequences = role === "base" ? this.options.parallel : 2 * this.options.parallel;
      const wanted =
        this.options.contextSize ??
        planContextSize({
          maxPromptTokens: this.options.maxPromptTokens,
          promptOverheadTokens: measurePromptOverhead(loadedModel, chatTemplate),
          maxTokens: this.options.maxTokens,
          trainContextSize: loadedModel.trainContextSize,
        });
      context = await this.whileLoading((signal) =>
        loadedModel.createContext({
          contextSize: Math.min(wanted, loadedModel.trainContextSize || wanted),
          // One more for /nexttoken: a sequence costs only its KV cache, a context also its buffers.
          sequences: compareSequences + 1,
          batchSize: this.options.batchSize,
          threads: { ideal: this.options.threads, min: 1 },
          createSignal: signal,
        }),
      );
      const readyContext = context;
      const ready: LoadedModel = {
        name,
        spec,
        path,
        model,
        context,
        sequences: Array.from({ length: compareSequences }, () => readyContext.getSequence()),
        nextTokenSequence: readyContext.getSequence(),
        contextSize: context.contextSize,
        chatTemplate,
        endOfTurnTokens: chatTemplate === null ? new Set() : findEndOfTurnTokens(model, chatTemplate),
      };
      this.loaded.set(role, ready);
      this.setStatus(role, { state: "ready", spec, path, name });
      this.log("info", `${role} model ready: ${name} (${path})`);
    } catch (error) {
      await context?.dispose();
      await model?.dispose();
      this.loadFailed = true;
      const detail = this.lastLlamaError ? ` (${this.lastLlamaError})` : "";
      this.setStatus(role, {
        state: "failed",
        spec,
        reason: `${path}: ${(error as Error).message}${detail}`,
      });
    }
  }

  /**
   * Gives `work` a signal that follows {@link dispose} only while `work` runs: node-llama-cpp
   * misbehaves when a load's signal is aborted after the load is over.
   */
  private async whileLoading<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const forward = () => controller.abort();
    this.abort.signal.addEventListener("abort", forward, { once: true });
    try {
      return await work(controller.signal);
    } finally {
      this.abort.signal.removeEventListener("abort", forward);
    }
  }

  private async findOrDownload(role: ModelRole, spec: string): Promise<string | undefined> {
    const location = await locateModelFile(spec, this.options.modelsDir);
    if (location.kind === "found") return location.path;
    if (!this.options.autoDownload || !isModelUri(spec)) {
      this.setStatus(role, { state: "missing", spec, file: location.file, hint: location.hint });
      return undefined;
    }
    try {
      this.setStatus(role, { state: "downloading", spec, downloadedBytes: 0, totalBytes: 0 });
      const path = await resolveModelFile(spec, {
        directory: this.options.modelsDir,
        cli: false,
        signal: this.abort.signal,
        onProgress: ({ downloadedSize, totalSize }) =>
          this.setStatus(role, {
            state: "downloading",
            spec,
            downloadedBytes: downloadedSize,
            totalBytes: totalSize,
          }),
      });
      this.setStatus(role, { state: "loading", spec });
      return path;
    } catch (error) {
      this.setStatus(role, { state: "failed", spec, reason: `download failed: ${(error as Error).message}` });
      return undefined;
    }
  }
}
