import { readFile, stat } from "node:fs/promises";
import { EngineClient } from "../engines/EngineClient.ts";
import { EngineError } from "../engines/EngineError.ts";
import { RemoteSide } from "../engines/RemoteSide.ts";
import { UserError } from "../errors.ts";
import { describeModelProblem } from "../llm/describeModelProblem.ts";
import { ModelNotReadyError } from "../llm/errors/ModelNotReadyError.ts";
import { createMemberTurns, GenerationQueue } from "../llm/GenerationQueue.ts";
import {
  LocalModels,
  type LocalModelsOptions,
  type ModelRole,
  type ModelStatus,
} from "../llm/LocalModels.ts";
import { LocalSide } from "../llm/LocalSide.ts";
import { locateModelFile } from "../llm/locateModelFile.ts";
import type { ModelSide } from "../llm/ModelSide.ts";
import type {
  PairStatusReport,
  PairStatusService,
  SideLocation,
  SideState,
  SideStatus,
} from "../status/PairStatusReport.ts";
import { readLlamaCppVersion } from "../status/readLlamaCppVersion.ts";
import type { EngineEndpoint, ModelPair, ModelSource, PairCatalogue } from "./ModelPair.ts";
import type { PairLease, PairSource } from "./PairSource.ts";
import { formatModelSource, modelSourceSpec } from "./parseModelSource.ts";

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
  /** Hears every status change of a pair's in-process models (loading, downloading, missing…). */
  onModelStatus?: (pair: ModelPair, role: ModelRole, status: ModelStatus) => void;
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
  problem:
    | {
        /** What `/status` shows for each side that failed; a failure of the whole pair has no role. */
        sides: Partial<Record<ModelRole, { state: SideState; message: string }>>;
        message: string;
        error: unknown;
        /**
         * The pair's in-process files as they were when it failed (see `localFiles`); while they
         * stay the same, trying again would fail the same way, so the failure is repeated at once.
         * `undefined` when a side on a server failed: a server may come back at any time.
         */
        files: string | undefined;
      }
    | undefined;
  /** The in-process models of a load in progress, for `/status` (downloading, loading). */
  loadingLocal: LocalModels | undefined;
  holds: number;
  /** Bytes a load in progress will take, counted against the budget until it ends. */
  reservedBytes: number;
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
export class PairRuntime implements PairSource, PairStatusService {
  private readonly entries = new Map<string, PairEntry>();
  /** One run per member and the cooldown hold across pairs, not per pair. */
  private readonly memberTurns = createMemberTurns();
  private readonly clients = new Map<string, EngineClient>();
  /** In-process models still loading, so that closing can stop them. */
  private readonly loadingLocal = new Set<LocalModels>();
  private readonly defaultPairId: string;
  private clock = 0;
  /** node-llama-cpp's llama.cpp, for `/status`. */
  private readonly inProcessVersion = readLlamaCppVersion();
  private closed = false;

  constructor(private readonly options: PairRuntimeOptions) {
    for (const pair of options.catalogue.pairs) {
      this.entries.set(pair.id, {
        pair,
        loading: undefined,
        loaded: undefined,
        problem: undefined,
        loadingLocal: undefined,
        holds: 0,
        reservedBytes: 0,
        lastUsed: 0,
      });
    }
    const fallback = options.catalogue.pairs[0]?.id;
    const wanted = options.catalogue.defaultPairId;
    this.defaultPairId = this.entries.has(wanted) ? wanted : (fallback ?? wanted);
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

  /** `/status`: each pair and side, where it runs, its state, recent speed, the queue and version. */
  report(): PairStatusReport[] {
    return [...this.entries.values()].map((entry) => {
      const loaded = entry.loaded;
      const versions = new Set<string>();
      const side = (role: ModelRole): SideStatus => {
        const source = entry.pair[role];
        const status = this.sideStatus(entry, role);
        const running = loaded?.[role];
        if (source.kind === "engine") {
          if (running?.version) versions.add(running.version);
        } else if (this.inProcessVersion) {
          versions.add(this.inProcessVersion);
        }
        return {
          role,
          source: formatModelSource(source),
          location: this.locate(source, loaded?.local ?? entry.loadingLocal),
          ...status,
          ...(running?.recentTokensPerSecond !== undefined && {
            recentTokensPerSecond: running.recentTokensPerSecond,
          }),
        };
      };
      const base = side("base");
      const instruct = side("instruct");
      const queue = loaded?.queue;
      return {
        pairId: entry.pair.id,
        label: entry.pair.label,
        isDefault: entry.pair.id === this.defaultPairId,
        base,
        instruct,
        queue: queue
          ? { running: queue.runningCount, waiting: queue.waitingCount, slots: queue.slots }
          : { running: 0, waiting: 0, slots: this.expectedSlots(entry.pair) },
        ...(versions.size > 0 && { version: [...versions].join(" · ") }),
      };
    });
  }

  private sideStatus(entry: PairEntry, role: ModelRole): { state: SideState; detail?: string } {
    const running = entry.loaded?.[role];
    if (running) return { state: "ready", detail: running.name };
    const local = entry.loadingLocal;
    if (entry.loading && local && entry.pair[role].kind !== "engine") {
      const status = local.status(role);
      if (status.state === "downloading") {
        const percent =
          status.totalBytes > 0
            ? `${Math.floor((100 * status.downloadedBytes) / status.totalBytes)} %`
            : "started";
        return { state: "downloading", detail: percent };
      }
      return { state: "loading" };
    }
    if (entry.loading) return { state: "loading" };
    const problem = entry.problem;
    const failed = problem?.sides[role];
    if (failed) return { state: failed.state, detail: failed.message };
    if (problem && Object.keys(problem.sides).length === 0)
      return { state: "failed", detail: problem.message };
    return { state: "unloaded" };
  }

  private locate(source: ModelSource, local: LocalModels | undefined): SideLocation {
    if (source.kind === "engine") {
      const url = this.endpoint(source.engine)?.url ?? "(unknown engine)";
      return { kind: "server", engine: source.engine, url };
    }
    if (this.options.local.gpu === false) return { kind: "in-process", device: "cpu" };
    const device = local?.gpuType;
    if (device === undefined) return { kind: "in-process", device: "auto" };
    return device === false
      ? { kind: "in-process", device: "cpu" }
      : { kind: "in-process", device: "gpu", gpuName: device };
  }

  /** Runs a pair not loaded yet is expected to serve at once: its in-process parallel runs, its engines' slots. */
  private expectedSlots(pair: ModelPair): number {
    let slots = this.options.local.parallel ?? 1;
    for (const [role, streams] of [
      ["base", 1],
      ["instruct", 2],
    ] as const) {
      const source = pair[role];
      if (source.kind !== "engine") continue;
      const engineSlots = this.endpoint(source.engine)?.slots;
      if (engineSlots !== undefined) slots = Math.min(slots, Math.max(1, Math.floor(engineSlots / streams)));
    }
    return Math.max(1, slots);
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
    entry.loading ??= this.loadUnlessUnchanged(entry).then(
      (loaded) => {
        entry.loading = undefined;
        entry.reservedBytes = 0;
        entry.loadingLocal = undefined;
        entry.problem = undefined;
        if (this.closed) {
          void this.unload(loaded);
          throw new UserError("I'm restarting right now; please try again in a minute.");
        }
        entry.loaded = loaded;
        return loaded;
      },
      async (error: unknown) => {
        entry.loading = undefined;
        entry.reservedBytes = 0;
        entry.loadingLocal = undefined;
        if (error instanceof UnchangedFailure) throw error.original;
        const failures = error instanceof PairSideError ? [error, ...error.others] : [];
        const local = failures.some((failure) => entry.pair[failure.role].kind !== "engine");
        entry.problem = {
          sides: Object.fromEntries(
            failures.map((failure) => [failure.role, { state: failure.state, message: failure.message }]),
          ),
          message: error instanceof Error ? error.message : String(error),
          error,
          files: local ? await this.localFiles(entry.pair) : undefined,
        };
        this.options.log?.("warn", `pair ${entry.pair.id} could not be loaded: ${entry.problem.message}`);
        throw error;
      },
    );
    return entry.loading;
  }

  /** Loads the pair, unless it failed on files that have not changed since (then that failure again). */
  private async loadUnlessUnchanged(entry: PairEntry): Promise<LoadedPair> {
    const problem = entry.problem;
    if (problem?.files !== undefined && problem.files === (await this.localFiles(entry.pair))) {
      throw new UnchangedFailure(problem.error);
    }
    return this.loadPair(entry);
  }

  /** Where the pair's in-process files are, with their size and time, or that they are absent. */
  private async localFiles(pair: ModelPair): Promise<string> {
    const parts: string[] = [];
    for (const role of ["base", "instruct"] as const) {
      const spec = localSpec(pair[role]);
      if (spec === undefined) continue;
      const location = await locateModelFile(spec, this.options.local.modelsDir ?? "./models");
      if (location.kind !== "found") {
        parts.push(`${role}: absent`);
        continue;
      }
      const info = await stat(location.path).catch(() => undefined);
      parts.push(`${role}: ${location.path} ${info?.size ?? "?"} ${info?.mtimeMs ?? "?"}`);
    }
    return parts.join("; ");
  }

  private async loadPair(entry: PairEntry): Promise<LoadedPair> {
    const { pair } = entry;
    const memoryBytes = await this.estimateMemory(pair);
    await this.makeRoom(entry, memoryBytes);
    const localSpecs = {
      base: localSpec(pair.base),
      instruct: localSpec(pair.instruct),
    };
    const local =
      localSpecs.base !== undefined || localSpecs.instruct !== undefined
        ? new LocalModels({
            ...this.options.local,
            ...localSpecs,
            onStatusChange: (role, status) => this.options.onModelStatus?.(pair, role, status),
          })
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
          entry.loadingLocal = local;
          this.loadingLocal.add(local);
          try {
            await local.whenSettled();
          } finally {
            this.loadingLocal.delete(local);
          }
          if (this.closed) throw new UserError("I'm restarting right now; please try again in a minute.");
          // Every side that failed is told (in /status), the first one to the member.
          const failures: PairSideError[] = [];
          for (const role of local.roles) {
            try {
              sides[role] = this.localSide(local, role);
            } catch (error) {
              if (!(error instanceof PairSideError)) throw error;
              failures.push(error);
            }
          }
          const [first, ...others] = failures;
          if (first) throw new PairSideError(first.role, first.state, first.message, others);
        })(),
        ...remote,
      ]);
      const failed = results.find((result) => result.status === "rejected");
      if (failed) throw failed.reason;
      const base = sides.base;
      const instruct = sides.instruct;
      if (!base || !instruct) throw new Error(`pair ${pair.id} has a side that did not load`);
      if (instruct.chatTemplate === null) {
        throw new PairSideError(
          "instruct",
          "misconfigured",
          `The instruct side of ${pair.label} (${instruct.name}) has no chat template; the operator needs an instruct model, or a chatTemplateFile for its engine.`,
        );
      }
      const queue = new GenerationQueue({
        slots: this.runSlots(pair, base, instruct),
        maxPromptTokens: this.options.queue.maxPromptTokens,
        cooldownSeconds: this.options.queue.cooldownSeconds,
        members: this.memberTurns,
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
      if (error instanceof ModelNotReadyError) {
        const state = error.status.state === "downloading" ? "loading" : error.status.state;
        throw new PairSideError(role, state, describeModelProblem(error));
      }
      throw error;
    }
    return new LocalSide(loaded, {
      device: local.device ?? "CPU",
      version: this.inProcessVersion,
      streamsPerSlot: role === "base" ? 1 : 2,
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
        const state = error.fault === "unreachable" || error.fault === "timeout" ? "unreachable" : "failed";
        throw new PairSideError(
          role,
          state,
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

  /**
   * Unloads idle pairs, least recently used first, until `bytes` more fit the budget, and reserves
   * them for the pair: a load in progress counts, so two pairs first asked for at once do not both
   * find the same room free.
   */
  private async makeRoom(target: PairEntry, bytes: number): Promise<void> {
    const budgetMb = this.options.memoryBudgetMb;
    if (budgetMb === undefined) return;
    const pairId = target.pair.id;
    const budget = budgetMb * 2 ** 20;
    const held = () =>
      [...this.entries.values()].reduce(
        (sum, entry) => sum + (entry === target ? 0 : (entry.loaded?.memoryBytes ?? entry.reservedBytes)),
        0,
      );
    const idle = [...this.entries.values()]
      .filter((entry) => entry !== target && entry.loaded && isIdle(entry))
      .sort((a, b) => a.lastUsed - b.lastUsed);
    target.reservedBytes = bytes;
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

/** A side of a pair cannot be used; `state` is what `/status` shows for it. The message suits members. */
class PairSideError extends UserError {
  constructor(
    readonly role: ModelRole,
    readonly state: SideState,
    message: string,
    /** The pair's other sides that failed at the same time. */
    readonly others: readonly PairSideError[] = [],
  ) {
    super(message);
    this.name = "PairSideError";
  }
}

/** Carries a failure repeated without trying again (see `loadUnlessUnchanged`). */
class UnchangedFailure extends Error {
  constructor(readonly original: unknown) {
    super("unchanged");
  }
}

function isIdle(entry: PairEntry): boolean {
  const queue = entry.loaded?.queue;
  return entry.holds === 0 && (queue === undefined || (queue.runningCount === 0 && queue.waitingCount === 0));
}

/** The spec `LocalModels` loads for a source, or `undefined` when the side runs on an engine. */
function localSpec(source: ModelSource): string | undefined {
  return source.kind === "engine" ? undefined : modelSourceSpec(source);
}
