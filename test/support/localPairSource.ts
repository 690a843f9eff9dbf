import { UserError } from "../../src/errors.ts";
import { describeModelProblem } from "../../src/llm/describeModelProblem.ts";
import { ModelNotReadyError } from "../../src/llm/errors/ModelNotReadyError.ts";
import { GenerationQueue, type GenerationQueueOptions } from "../../src/llm/GenerationQueue.ts";
import type { generate } from "../../src/llm/generate.ts";
import type { LoadedModel } from "../../src/llm/LoadedModel.ts";
import type { LocalModels } from "../../src/llm/LocalModels.ts";
import { LocalSide } from "../../src/llm/LocalSide.ts";
import type { PairLease, PairSource } from "../../src/pairs/PairSource.ts";

const sidesOf = new WeakMap<LoadedModel, { base: LocalSide; instruct: LocalSide }>();

export interface LocalPairSourceOptions {
  /** The pair's queue. Default: one slot, no cooldown. */
  queue?: GenerationQueue | GenerationQueueOptions;
  /** Generates each stream (to inject failures). Default `generate`. */
  generate?: typeof generate;
}

/**
 * One pair, id `test`, over models a test loaded itself: what `PairRuntime` hands features, without
 * the catalogue. Sides are made when first acquired, so a model that failed to load rejects then,
 * with the `UserError` `PairRuntime` gives (`describeModelProblem`).
 */
export function localPairSource(
  models: LocalModels,
  options: LocalPairSourceOptions = {},
): PairSource & { sides(): { base: LocalSide; instruct: LocalSide }; dispose(): Promise<void> } {
  const queue =
    options.queue instanceof GenerationQueue
      ? options.queue
      : new GenerationQueue({ slots: 1, cooldownSeconds: 0, ...options.queue });
  let made: { base: LocalSide; instruct: LocalSide } | undefined;
  const sides = () => {
    // One side per loaded model (and so one evaluator on its `/nexttoken` sequence) across sources,
    // except when a test injects its own generate.
    made ??= (options.generate ? undefined : sidesOf.get(models.get("base"))) ?? {
      base: new LocalSide(models.get("base"), {
        device: "CPU",
        streamsPerSlot: 1,
        generate: options.generate,
      }),
      instruct: new LocalSide(models.get("instruct"), {
        device: "CPU",
        streamsPerSlot: 2,
        generate: options.generate,
      }),
    };
    if (!options.generate) sidesOf.set(models.get("base"), made);
    return made;
  };
  return {
    sides,
    async acquire(): Promise<PairLease> {
      let made: ReturnType<typeof sides>;
      try {
        made = sides();
      } catch (error) {
        if (error instanceof ModelNotReadyError) throw new UserError(describeModelProblem(error));
        throw error;
      }
      const { base, instruct } = made;
      return { pairId: "test", label: "the test pair", base, instruct, queue, release: () => {} };
    },
    isReady: () => models.isSettled,
    describe: () => ({ id: "test", label: "the test pair" }),
    loadedSides: () => made,
    closeQueues: () => queue.close(),
    async dispose() {
      await made?.base.dispose();
      await made?.instruct.dispose();
    },
  };
}
