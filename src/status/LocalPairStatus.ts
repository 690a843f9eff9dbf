import type { ModelRole, ModelStatus } from "../llm/LocalModels.ts";
import type { ModelSource, PairCatalogue } from "../pairs/ModelPair.ts";
import { formatModelSource } from "../pairs/parseModelSource.ts";
import type { PairStatusReport, PairStatusService, SideLocation, SideStatus } from "./PairStatusReport.ts";

export interface LocalPairStatusOptions {
  catalogue: PairCatalogue;
  /** The in-process models of the default pair. */
  models: { status(role: ModelRole): ModelStatus };
  /** The one generation queue of this process. */
  queue: { readonly runningCount: number; readonly waitingCount: number; readonly slots: number };
  /** LLM_GPU: `false` keeps llama.cpp on the CPU; `auto` lets it pick. */
  gpu: "auto" | false;
  /** The llama.cpp build in use, e.g. `llama.cpp v0.5.0 (node-llama-cpp 3.22.1)`. */
  version?: string;
}

/**
 * `/status` for today's runtime: the default pair runs in this process (LocalModels) and every
 * other pair is not loaded. The model registry replaces this with live figures per pair.
 */
export class LocalPairStatus implements PairStatusService {
  constructor(private readonly options: LocalPairStatusOptions) {}

  report(): PairStatusReport[] {
    const { catalogue, queue } = this.options;
    return catalogue.pairs.map((pair) => {
      const isDefault = pair.id === catalogue.defaultPairId;
      return {
        pairId: pair.id,
        label: pair.label,
        isDefault,
        base: this.side("base", pair.base, isDefault),
        instruct: this.side("instruct", pair.instruct, isDefault),
        queue: isDefault
          ? { running: queue.runningCount, waiting: queue.waitingCount, slots: queue.slots }
          : { running: 0, waiting: 0, slots: queue.slots },
        ...(this.options.version !== undefined ? { version: this.options.version } : {}),
      };
    });
  }

  private side(role: ModelRole, source: ModelSource, loaded: boolean): SideStatus {
    const location = this.locate(source);
    const base = { role, source: formatModelSource(source), location };
    if (!loaded) return { ...base, state: "unloaded" };
    if (source.kind === "engine") {
      return { ...base, state: "unreachable", detail: "this version of the bot runs models in-process only" };
    }
    const status = this.options.models.status(role);
    switch (status.state) {
      case "ready":
        return { ...base, state: "ready", detail: status.name };
      case "loading":
        return { ...base, state: "loading" };
      case "downloading": {
        const percent =
          status.totalBytes > 0
            ? `${Math.floor((100 * status.downloadedBytes) / status.totalBytes)} %`
            : "started";
        return { ...base, state: "downloading", detail: percent };
      }
      case "missing":
        return { ...base, state: "missing", detail: status.hint };
      case "failed":
        return { ...base, state: "failed", detail: status.reason };
      case "misconfigured":
        return { ...base, state: "misconfigured", detail: status.error.message };
    }
  }

  private locate(source: ModelSource): SideLocation {
    if (source.kind === "engine") {
      const engine = this.options.catalogue.engines.find((known) => known.id === source.engine);
      return { kind: "server", engine: source.engine, url: engine?.url ?? "(unknown engine)" };
    }
    return { kind: "in-process", device: this.options.gpu === false ? "cpu" : "auto" };
  }
}
