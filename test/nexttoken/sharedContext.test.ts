import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "../../src/llm/generate.ts";
import { LocalModels } from "../../src/llm/LocalModels.ts";
import { tokenizePrompt } from "../../src/llm/tokenizePrompt.ts";
import { createLogger } from "../../src/logger.ts";
import { NextTokenEvaluator, type RankedProbabilities } from "../../src/nexttoken/NextTokenEvaluator.ts";
import { NextTokenService } from "../../src/nexttoken/NextTokenService.ts";
import { sharedModel } from "../support/testModels.ts";

const base = sharedModel("stories260K.gguf");
const instruct = sharedModel("stories260K-chatml.gguf");

/** Every token's probability, by token id. */
function byToken(ranked: RankedProbabilities): Map<number, number> {
  return new Map(ranked.tokens.map((token, index) => [token, ranked.probabilities[index] ?? Number.NaN]));
}

function expectSameDistribution(actual: RankedProbabilities, expected: RankedProbabilities): void {
  const expectedByToken = byToken(expected);
  expect(actual.tokens).toHaveLength(expected.tokens.length);
  let largest = 0;
  for (const [token, probability] of byToken(actual)) {
    largest = Math.max(largest, Math.abs(probability - (expectedByToken.get(token) ?? Number.NaN)));
  }
  expect(largest).toBeLessThan(1e-6);
}

describe.skipIf(!base.present || !instruct.present)(
  `/nexttoken on the models' own contexts (stories260K)${base.skipNote || instruct.skipNote}`,
  () => {
    let models: LocalModels;

    beforeAll(async () => {
      models = new LocalModels({ base: base.path, instruct: instruct.path, gpu: false, threads: 1 });
      await models.whenSettled();
    });

    afterAll(async () => {
      await models?.dispose();
    });

    it("GIVEN loaded models THEN each context has a sequence for /nexttoken beside the /compare ones", () => {
      for (const role of ["base", "instruct"] as const) {
        const loaded = models.get(role);
        expect(loaded.nextTokenSequence.context).toBe(loaded.context);
        expect(loaded.sequences).not.toContain(loaded.nextTokenSequence);
        expect(loaded.nextTokenSequence.contextSize).toBe(loaded.contextSize);
      }
    });

    it("GIVEN /nexttoken THEN each model's walk is evaluated on that model's own /nexttoken sequence", async () => {
      const service = new NextTokenService({ models, logger: createLogger("silent") });
      try {
        await service.start({ userId: "alice", userName: "Alice", prompt: "Once upon a time" });
        const base = models.get("base");
        expect(base.nextTokenSequence.contextTokens).toEqual(
          tokenizePrompt(base.model, "Once upon a time").tokens,
        );
        const instruct = models.get("instruct");
        expect(instruct.nextTokenSequence.contextTokens.length).toBeGreaterThan(
          tokenizePrompt(instruct.model, "Once upon a time").tokens.length,
        );
        for (const loaded of [base, instruct]) {
          for (const sequence of loaded.sequences) expect(sequence.contextTokens).toEqual([]);
        }
      } finally {
        await service.close();
      }
    });

    it("GIVEN a walk step while a /compare generation runs in the same context THEN the probabilities are a fresh context's within 1e-6", async () => {
      const loaded = models.get("base");
      const { model } = loaded;
      const walkTokens = tokenizePrompt(model, "Lily went to the park and she").tokens;
      const fresh = await model.createContext({ contextSize: 512, threads: 1 });
      let expected: RankedProbabilities;
      try {
        expected = await new NextTokenEvaluator(fresh.getSequence()).evaluate(walkTokens);
      } finally {
        await fresh.dispose();
      }

      const evaluator = new NextTokenEvaluator(loaded.nextTokenSequence);
      const sequence = loaded.sequences[0];
      if (!sequence) throw new Error("no /compare sequence");
      const stop = new AbortController();
      let generated = 0;
      let shared: Promise<RankedProbabilities> | undefined;
      // Started mid-generation, the evaluation shares llama.cpp batches with the generation's tokens.
      const result = await generate(sequence, tokenizePrompt(model, "Once upon a time").tokens, {
        temperature: 0,
        maxTokens: 400,
        signal: stop.signal,
        onText: () => {
          if (generated++ !== 5) return;
          shared = evaluator.evaluate(walkTokens);
          shared.finally(() => stop.abort()).catch(() => undefined);
        },
      });
      await result.released;
      expect(result.stats.tokens).toBeGreaterThan(5);
      if (!shared) throw new Error("the generation ended before the evaluation started");
      expectSameDistribution(await shared, expected);
      await evaluator.dispose();
    });
  },
);
