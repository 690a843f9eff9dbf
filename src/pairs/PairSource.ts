import type { GenerationQueue } from "../llm/GenerationQueue.ts";
import type { ModelSide } from "../llm/ModelSide.ts";

/**
 * A pair held for one use (a comparison, a `/nexttoken` walk, a `/template`): while any lease is
 * held the pair is not unloaded to make room for another.
 */
export interface PairLease {
  pairId: string;
  label: string;
  base: ModelSide;
  instruct: ModelSide;
  /** The pair's generation queue, as wide as the runs its sides can serve at once. */
  queue: GenerationQueue;
  /** Lets the pair go; calling it again does nothing. */
  release(): void;
}

/** Where features get pairs: `PairRuntime` in the bot, a single loaded pair in some tests. */
export interface PairSource {
  /**
   * The pair (the default one when `pairId` is absent), loaded first when needed; `onLoading`
   * hears when that load has to happen. Rejects with a `UserError` when the pair is unknown or
   * cannot be used, saying why (the server and its error, the missing file…).
   */
  acquire(pairId?: string, onLoading?: (label: string) => void): Promise<PairLease>;
  /** Whether {@link acquire} would return without loading anything. */
  isReady(pairId?: string): boolean;
  /** The pair's id and label (the default pair when `pairId` is absent); a `UserError` for an unknown id. */
  describe(pairId?: string): { id: string; label: string };
  /** The sides of a pair that is loaded now, without loading anything; `undefined` otherwise. */
  loadedSides(pairId?: string): { base: ModelSide; instruct: ModelSide } | undefined;
  /** Closes every pair's queue (see `GenerationQueue.close`), for shutdown. */
  closeQueues(): Promise<void>;
}
