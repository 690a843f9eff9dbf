import { readFile, stat } from "node:fs/promises";
import { EngineClient } from "../engines/EngineClient.ts";
import { EngineError } from "../engines/EngineError.ts";
import { RemoteSide } from "../engines/RemoteSide.ts";
import { UserError } from "../errors.ts";
import { describeModelProblem } from "../llm/describeModelProblem.ts";
import { ModelNotReadyError } from "../llm/errors/ModelNotReadyError.ts";
import { GenerationQueue } from "../llm/GenerationQueue.ts";
import { LocalModels, type LocalModelsOptions, type ModelRole } from "../llm/LocalModels.ts";
import { LocalSide } from "../llm/LocalSide.ts";
import { locateModelFile } from "../llm/locateModelFile.ts";
import type { ModelSide } from "../llm/ModelSide.ts";
import type { EngineEndpoint, ModelPair, ModelSource, PairCatalogue } from "./ModelPair.ts";
import type { PairLease, PairSource } from "./PairSource.ts";

/** Where a side runs and how it is doing, for `/status`. */
export interface SideStatus {
  /** `in-process (CPU)`, `in-process (GPU (cuda))`, or the server's URL. */
  where: string;
  state: "unloaded" | "loading" | "ready" | "failed";
  /** The model's name once loaded. */
  model?: string;
  /** Why it failed. */
  problem?: string;
  /** Decoding speed of recent generations. */
  tokensPerSecond?: number;
  /** The llama.cpp release in this process, or the server's version. */
  version?: string;
}

/** One pair at run time, for `/status`. */
export interface PairStatus {
  id: string;
  label: string;
  isDefault: boolean;
  state: "unloaded" | "loading" | "ready" | "failed";
  /** Runs generating and waiting on the pair's queue, and how many it runs at once; absent when unloaded. */
  queue?: { running: number; waiting: number; slots: number };
  /** Estimated memory of the sides held in this process, in MB. */
  memoryMb: number;
  sides: Record<ModelRole, SideStatus>;
}

export interface PairRuntimeOptions {
  catalogue: PairCatalogue;
  /** How in-process sides load (see `LocalModelsOptions`): models folder, GPU, threads, context, parallel runs. */
  local: Omit<LocalModelsOptions, "base" | "instruct" | "onStatusChange">;
  /** Per-pair queue rules. */
  queue: { maxPromptTokens?: number; cooldownSeconds?: number };
  /**
   * Memory for pairs held in this process, in MB: loading a pair unloads idle ones (least recently
   * used first) until it fits. A pair in use is never unloaded; when nothing idle is left the new
   * pair loads anyway. Default: no limit.
   */
  memoryBudgetMb?: number;
  /** Reads an API key from the environment variable `EngineEndpoint.apiKeyEnv` names. */
  apiKey?: (variable: string) => string | undefined;
  /** CPU threads of a `/nexttoken` evaluation in this process. Default 1. */
  nextTokenThreads?: number;
  /** Hears what an operator should know: a pair failed, an idle pair was unloaded. */
  log?: (level: "info" | "warn" | "error", message: string) => void;
  /** Longest a request waits for its pair to load, in ms. Default 120 000. */
  loadTimeoutMs?: number;
}

interface LoadedPair {
  base: ModelSide;
  instruct: ModelSide;
  queue: GenerationQueue;
  local: LocalModels | undefined;
  memoryBytes: number;
}

interface PairEntry {
  pair: ModelPair;
  loading: Promise<LoadedPair> | undefined;
  loaded: LoadedPair | undefined;
  /** The last load's failure, for `/status`; the next use tries again. */
  problem: string | undefined;
  holds: number;
  lastUsed: number;
}

/** Weights plus what llama.cpp adds around them (contexts, compute buffers), as a rough factor. */
const MEMORY_OVERHEAD = 1.3;

const ROLE_TITLE: Record<ModelRole, string> = { base: "base", instruct: "instruct" };

/**
 * The pairs of the catalogue at run time: a pair is loaded when first asked for (its in-process
 * sides through `LocalModels`, its engine sides by connecting to their servers), stays warm while
 * it fits the memory budget, and is unloaded when idle and another pair needs the room. Each pair
 * has its own generation queue, as wide as the runs its sides can serve at once (local
 * sequences, engine slots), so queue positions stay true.
 */
export class PairRuntime implements PairSource {
  private readonly entries = new Map<string, PairEntry>();
  private readonly clients = new Map<string, EngineClient>();
  /** In-process models still loading, so that closing can stop them. */
  private readonly loadingLocal = new Set<LocalModels>();
  private readonly defaultPairId: string;
  private clock = 0;
  private closed = false;

  constructor(private readonly options: PairRuntimeOptions) {
    for (const pair of options.catalogue.pairs) {
      this.entries.set(pair.id, {
        pair,
        loading: undefined,
        loaded: undefined,
        problem: undefined,
        holds: 0,
        lastUsed: 0,
      });
    }
    const fallback = options.catalogue.pairs[0]?.id;
    const wanted = options.catalogue.defaultPairId;
    this.defaultPairId = this.entries.has(wanted) ? wanted : (fallback ?? wanted);
  }

  /** Every pair, for `pair:` autocomplete. */
  get pairs(): readonly ModelPair[] {
    return [...this.entries.values()].map((entry) => entry.pair);
  }

  get defaultPair(): string {
    return this.defaultPairId;
  }

  /** Starts loading the default pair in the background, so the first `/compare` finds it warm. */
  preloadDefault(): void {
    const entry = this.entries.get(this.defaultPairId);
    if (entry) void this.load(entry).catch(() => {});
  }

  /** Resolves once the pair (default: the default pair) is loaded or has failed; loads it if needed. */
  async whenSettled(pairId?: string): Promise<void> {
    await this.load(this.entry(pairId)).catch(() => {});
  }

  describe(pairId?: string): { id: string; label: string } {
    const { pair } = this.entry(pairId);
    return { id: pair.id, label: pair.label };
  }

  isReady(pairId?: string): boolean {
    return this.entry(pairId).loaded !== undefined;
  }

  loadedSides(pairId?: string): { base: ModelSide; instruct: ModelSide } | undefined {
    const entry = this.entries.get(pairId ?? this.defaultPairId);
    return entry?.loaded && { base: entry.loaded.base, instruct: entry.loaded.instruct };
  }

  async acquire(pairId?: string, onLoading?: (label: string) => void): Promise<PairLease> {
    if (this.closed) throw new UserError("I'm restarting right now; please try again in a minute.");
    const entry = this.entry(pairId);
    entry.holds++;
    entry.lastUsed = ++this.clock;
    let loaded: LoadedPair;
    try {
      if (!entry.loaded) onLoading?.(entry.pair.label);
      loaded = entry.loaded ?? (await this.waitForLoad(entry));
    } catch (error) {
      entry.holds--;
      throw error;
    }
    let released = false;
    return {
      pairId: entry.pair.id,
      label: entry.pair.label,
      base: loaded.base,
      instruct: loaded.instruct,
      queue: loaded.queue,
      release: () => {
        if (released) return;
        released = true;
        entry.holds--;
        entry.lastUsed = ++this.clock;
      },
    };
  }

  async closeQueues(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.entries.values()].map((entry) => entry.loaded?.queue.close()));
  }

  /** Each pair and side: where it runs, its state, recent speed, queue and version. */
  status(): PairStatus[] {
    return [...this.entries.values()].map((entry) => {
      const state = entry.loaded
        ? "ready"
        : entry.loading
          ? "loading"
          : entry.problem !== undefined
            ? "failed"
            : "unloaded";
      const side = (role: ModelRole): SideStatus => {
        const loaded = entry.loaded?.[role];
        const source = entry.pair[role];
        const where = loaded
          ? loaded.location.kind === "engine"
            ? loaded.location.url
            : `in-process (${loaded.location.device})`
          : source.kind === "engine"
            ? (this.endpoint(source.engine)?.url ?? `engine ${source.engine}`)
            : "in-process";
        return {
          where,
          state,
          ...(loaded && { model: loaded.name, version: loaded.version }),
          ...(loaded?.recentTokensPerSecond !== undefined && {
            tokensPerSecond: loaded.recentTokensPerSecond,
          }),
          ...(state === "failed" && { problem: entry.problem }),
        };
      };
      const queue = entry.loaded?.queue;
      return {
        id: entry.pair.id,
        label: entry.pair.label,
        isDefault: entry.pair.id === this.defaultPairId,
        state,
        ...(queue && {
          queue: { running: queue.runningCount, waiting: queue.waitingCount, slots: queue.slots },
        }),
        memoryMb: Math.round((entry.loaded?.memoryBytes ?? 0) / 2 ** 20),
        sides: { base: side("base"), instruct: side("instruct") },
      };
    });
  }

  /**
   * Closes the queues (stopping runs), stops in-process loads, then frees every loaded pair. A pair
   * whose server is still answering its probe is freed when the probe ends.
   */
  async close(): Promise<void> {
    await this.closeQueues();
    await Promise.all([...this.loadingLocal].map((local) => local.dispose()));
    await Promise.all(
      [...this.entries.values()].map(async (entry) => {
        const loaded = entry.loaded;
        entry.loaded = undefined;
        if (loaded) await this.unload(loaded);
      }),
    );
  }

  private entry(pairId: string | undefined): PairEntry {
    const id = pairId ?? this.defaultPairId;
    const entry = this.entries.get(id);
    if (!entry) {
      const known = [...this.entries.keys()].join(", ");
      throw new UserError(`There is no pair called "${id}". Pick one of: ${known}.`);
    }
    return entry;
  }

  private endpoint(id: string): EngineEndpoint | undefined {
    return this.options.catalogue.engines.find((engine) => engine.id === id);
  }

  private async waitForLoad(entry: PairEntry): Promise<LoadedPair> {
    const timeoutMs = this.options.loadTimeoutMs ?? 120_000;
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new UserError(`${entry.pair.label} is still loading. Try again in a minute.`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([this.load(entry), gaveUp]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** One load at a time per pair; a failed load is forgotten so the next use tries again. */
  private load(entry: PairEntry): Promise<LoadedPair> {
    if (entry.loaded) return Promise.resolve(entry.loaded);
    entry.loading ??= this.loadPair(entry.pair).then(
      (loaded) => {
        entry.loading = undefined;
        entry.problem = undefined;
        if (this.closed) {
          void this.unload(loaded);
          throw new UserError("I'm restarting right now; please try again in a minute.");
        }
        entry.loaded = loaded;
        return loaded;
      },
      (error: unknown) => {
        entry.loading = undefined;
        entry.problem = error instanceof Error ? error.message : String(error);
        this.options.log?.("warn", `pair ${entry.pair.id} could not be loaded: ${entry.problem}`);
        throw error;
      },
    );
    return entry.loading;
  }

  private async loadPair(pair: ModelPair): Promise<LoadedPair> {
    const memoryBytes = await this.estimateMemory(pair);
    await this.makeRoom(pair.id, memoryBytes);
    const localSpecs = {
      base: localSpec(pair.base),
      instruct: localSpec(pair.instruct),
    };
    const local =
      localSpecs.base !== undefined || localSpecs.instruct !== undefined
        ? new LocalModels({ ...this.options.local, ...localSpecs })
        : undefined;
    const sides: Partial<Record<ModelRole, ModelSide>> = {};
    try {
      const remote = (["base", "instruct"] as const).map(async (role) => {
        const source = pair[role];
        if (source.kind === "engine") sides[role] = await this.connect(pair, role, source);
      });
      const results = await Promise.allSettled([
        (async () => {
          if (!local) return;
          this.loadingLocal.add(local);
          try {
            await local.whenSettled();
          } finally {
            this.loadingLocal.delete(local);
          }
          if (this.closed) throw new UserError("I'm restarting right now; please try again in a minute.");
          for (const role of local.roles) sides[role] = this.localSide(local, role);
        })(),
        ...remote,
      ]);
      const failed = results.find((result) => result.status === "rejected");
      if (failed) throw failed.reason;
      const base = sides.base;
      const instruct = sides.instruct;
      if (!base || !instruct) throw new Error(`pair ${pair.id} has a side that did not load`);
      if (instruct.chatTemplate === null) {
        throw new UserError(
          `The instruct side of ${pair.label} (${instruct.name}) has no chat template; the operator needs an instruct model, or a chatTemplateFile for its engine.`,
        );
      }
      const queue = new GenerationQueue({
        slots: this.runSlots(pair, base, instruct),
        maxPromptTokens: this.options.queue.maxPromptTokens,
        cooldownSeconds: this.options.queue.cooldownSeconds,
      });
      return { base, instruct, queue, local, memoryBytes };
    } catch (error) {
      await Promise.all(Object.values(sides).map((side) => side.dispose()));
      await local?.dispose();
      throw error;
    }
  }

  private localSide(local: LocalModels, role: ModelRole): LocalSide {
    let loaded: ReturnType<LocalModels["get"]>;
    try {
      loaded = local.get(role);
    } catch (error) {
      if (error instanceof ModelNotReadyError) throw new UserError(describeModelProblem(error));
      throw error;
    }
    return new LocalSide(loaded, {
      device: local.device ?? "CPU",
      version: local.version,
      streamsPerSlot: role === "base" ? 1 : 2,
      nextTokenThreads: this.options.nextTokenThreads,
    });
  }

  private async connect(
    pair: ModelPair,
    role: ModelRole,
    source: Extract<ModelSource, { kind: "engine" }>,
  ): Promise<RemoteSide> {
    const endpoint = this.endpoint(source.engine);
    if (!endpoint) {
      throw new UserError(
        `The ${ROLE_TITLE[role]} side of ${pair.label} names an engine "${source.engine}" that the catalogue does not list.`,
      );
    }
    let client = this.clients.get(endpoint.id);
    if (!client) {
      const apiKey = endpoint.apiKeyEnv ? this.options.apiKey?.(endpoint.apiKeyEnv) : undefined;
      client = new EngineClient(endpoint, { apiKey });
      this.clients.set(endpoint.id, client);
    }
    try {
      const chatTemplate = endpoint.chatTemplateFile
        ? await readFile(endpoint.chatTemplateFile, "utf8")
        : undefined;
      return await RemoteSide.connect(client, {
        model: source.model,
        chatTemplate,
        streamsPerSlot: role === "base" ? 1 : 2,
        slots: endpoint.slots,
      });
    } catch (error) {
      if (error instanceof EngineError) {
        throw new UserError(
          `The ${ROLE_TITLE[role]} model of ${pair.label} runs on ${client.description}, which failed: ${error.message.replace(`${client.description} `, "")}. Lessons and quizzes still work.`,
        );
      }
      if (error instanceof Error && "code" in error && error.code === "ENOENT") {
        throw new UserError(
          `The chat template file of the engine ${endpoint.id} is missing (${endpoint.chatTemplateFile}).`,
        );
      }
      throw error;
    }
  }

  /**
   * Runs the pair serves at once: each side's own limit, and for sides sharing one engine, its
   * slots divided among the streams a run sends it (base 1, instruct 2 in three-way mode).
   */
  private runSlots(pair: ModelPair, base: ModelSide, instruct: ModelSide): number {
    let slots = Math.min(base.parallel, instruct.parallel);
    const demand = new Map<string, number>();
    for (const [role, streams] of [
      ["base", 1],
      ["instruct", 2],
    ] as const) {
      const source = pair[role];
      if (source.kind === "engine") demand.set(source.engine, (demand.get(source.engine) ?? 0) + streams);
    }
    for (const [engine, streams] of demand) {
      if (streams <= 2) continue;
      const side = pair.base.kind === "engine" && pair.base.engine === engine ? base : instruct;
      // `parallel` already divided the engine's slots by this side's own streams.
      const engineSlots = side.parallel * (side === base ? 1 : 2);
      slots = Math.min(slots, Math.max(1, Math.floor(engineSlots / streams)));
    }
    return Math.max(1, slots);
  }

  /** Bytes of the pair's in-process GGUF files (found on disk), with llama.cpp's overhead. */
  private async estimateMemory(pair: ModelPair): Promise<number> {
    let bytes = 0;
    for (const role of ["base", "instruct"] as const) {
      const spec = localSpec(pair[role]);
      if (spec === undefined) continue;
      const location = await locateModelFile(spec, this.options.local.modelsDir ?? "./models");
      if (location.kind !== "found") continue;
      bytes += (await stat(location.path).catch(() => undefined))?.size ?? 0;
    }
    return bytes * MEMORY_OVERHEAD;
  }

  /** Unloads idle pairs, least recently used first, until `bytes` more fit the budget. */
  private async makeRoom(pairId: string, bytes: number): Promise<void> {
    const budgetMb = this.options.memoryBudgetMb;
    if (budgetMb === undefined) return;
    const budget = budgetMb * 2 ** 20;
    const held = () =>
      [...this.entries.values()].reduce((sum, entry) => sum + (entry.loaded?.memoryBytes ?? 0), 0);
    const idle = [...this.entries.values()]
      .filter((entry) => entry.pair.id !== pairId && entry.loaded && isIdle(entry))
      .sort((a, b) => a.lastUsed - b.lastUsed);
    for (const entry of idle) {
      if (held() + bytes <= budget) return;
      const loaded = entry.loaded;
      if (!loaded || !isIdle(entry)) continue;
      entry.loaded = undefined;
      this.options.log?.("info", `unloaded idle pair ${entry.pair.id} to make room for ${pairId}`);
      await this.unload(loaded);
    }
    if (held() + bytes > budget) {
      this.options.log?.(
        "warn",
        `pair ${pairId} loads beyond MODEL_MEMORY_BUDGET_MB: every other loaded pair is in use`,
      );
    }
  }

  private async unload(loaded: LoadedPair): Promise<void> {
    await loaded.queue.close();
    await Promise.all([loaded.base.dispose(), loaded.instruct.dispose()]);
    await loaded.local?.dispose();
  }
}

function isIdle(entry: PairEntry): boolean {
  const queue = entry.loaded?.queue;
  return entry.holds === 0 && (queue === undefined || (queue.runningCount === 0 && queue.waitingCount === 0));
}

/** The spec `LocalModels` loads for a source, or `undefined` when the side runs on an engine. */
function localSpec(source: ModelSource): string | undefined {
  switch (source.kind) {
    case "file":
      return source.path;
    case "hf":
      return source.uri;
    case "engine":
      return undefined;
  }
}
