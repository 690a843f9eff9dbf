/**
 * What `/status` shows: for each pair, where each side runs and how it is doing. The model
 * runtime produces it (see {@link PairStatusService}); `/status` only renders it.
 */

/** Where one side of a pair runs. */
export type SideLocation =
  /** In the bot's own process, through node-llama-cpp. `device` is `auto` until llama.cpp has chosen. */
  | { kind: "in-process"; device: "cpu" | "gpu" | "auto"; gpuName?: string }
  /** On an OpenAI-compatible server. */
  | { kind: "server"; engine: string; url: string };

export type SideState =
  | "ready"
  | "loading"
  | "downloading"
  /** Not loaded now (another pair holds the memory, or it was never used); loads on demand. */
  | "unloaded"
  | "missing"
  | "failed"
  | "misconfigured"
  /** A server side whose server does not answer. */
  | "unreachable";

export interface SideStatus {
  role: "base" | "instruct";
  /** The source as configured: a path, an `hf:` URI or `engine:<id>/<model>`. */
  source: string;
  location: SideLocation;
  state: SideState;
  /** One short line more: the model's name, a download's progress, why it failed. */
  detail?: string;
  /** Tokens per second of the latest generations, when any were measured. */
  recentTokensPerSecond?: number;
}

export interface PairStatusReport {
  pairId: string;
  label: string;
  /** The pair commands use when they name none. */
  isDefault: boolean;
  base: SideStatus;
  instruct: SideStatus;
  /** Generations running and waiting for this pair, and how many may run at once. */
  queue: { running: number; waiting: number; slots: number };
  /** What runs the models: `llama.cpp v0.5.0 (node-llama-cpp 3.22.1)` or a server's own build. */
  version?: string;
}

/** Reports the status of every pair; the model runtime implements it. */
export interface PairStatusService {
  report(): PairStatusReport[] | Promise<PairStatusReport[]>;
}
