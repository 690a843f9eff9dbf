import { getLlama, type Llama, LlamaLogLevel, type LlamaModel } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokenizePrompt } from "../../src/llm/tokenizePrompt.ts";
import { NextTokenEvaluator } from "../../src/nexttoken/NextTokenEvaluator.ts";
import { MAX_TOP_K, nextTokenDistribution } from "../../src/nexttoken/nextTokenDistribution.ts";
import { sharedModel } from "../support/testModels.ts";
import { expectSamePredictions } from "./expectSamePredictions.ts";

const stories = sharedModel("stories260K.gguf");

describe.skipIf(!stories.present)(`nextTokenDistribution on stories260K${stories.skipNote}`, () => {
  let llama: Llama;
  let model: LlamaModel;
  let evaluator: NextTokenEvaluator;

  beforeAll(async () => {
    llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
    model = await llama.loadModel({ modelPath: stories.path });
    const context = await model.createContext({ contextSize: 512, threads: 1 });
    evaluator = new NextTokenEvaluator(context.getSequence());
  });

  /** Raw text as a walk feeds it, BOS in front. */
  const rawTokens = (text: string) => tokenizePrompt(model, text).tokens;

  afterAll(async () => {
    // Disposing the model disposes its contexts.
    await model?.dispose();
    await llama?.dispose();
  });

  it("GIVEN a prompt THEN the top tokens form a real distribution, most likely first", async () => {
    const { top, restProbability } = await nextTokenDistribution(
      evaluator,
      rawTokens("Once upon a time, there was a"),
      { topK: MAX_TOP_K },
    );
    expect(top).toHaveLength(MAX_TOP_K);
    const probabilities = top.map((candidate) => candidate.probability);
    for (const probability of probabilities) expect(probability).toBeGreaterThanOrEqual(0);
    expect(probabilities).toEqual([...probabilities].sort((a, b) => b - a));
    const topSum = probabilities.reduce((sum, probability) => sum + probability, 0);
    expect(topSum).toBeLessThanOrEqual(1 + 1e-6);
    expect(restProbability).toBeCloseTo(Math.max(0, 1 - topSum), 12);
    expect(new Set(top.map((candidate) => candidate.token)).size).toBe(MAX_TOP_K);
  });

  it("GIVEN the 512-token vocabulary THEN node-llama-cpp returns every token and the probabilities sum to 1", async () => {
    const { ranked } = await nextTokenDistribution(evaluator, rawTokens("The cat"));
    expect(ranked.tokens).toHaveLength(512);
    expect(new Set(ranked.tokens).size).toBe(512);
    expect(ranked.probabilities.reduce((sum, probability) => sum + probability, 0)).toBeCloseTo(1, 5);
  });

  it("GIVEN 'Once upon a time' THEN the story model expects a comma, then ' there' with its leading space", async () => {
    const { top } = await nextTokenDistribution(evaluator, rawTokens("Once upon a time"));
    expect(top.slice(0, 2).map(({ text, isSpecial }) => ({ text, isSpecial }))).toEqual([
      { text: ",", isSpecial: false },
      { text: " there", isSpecial: false },
    ]);
    expect(top[0]?.probability).toBeGreaterThan(0.5);
  });

  it("GIVEN more tokens, or a different prompt in between THEN the reused context predicts as a fresh one", async () => {
    const prompt = rawTokens("Lily went to the park and");
    const other = rawTokens("Tom had a big red ball.");
    const longer = [...prompt, ...model.tokenize(" she said")];
    const freshContext = await model.createContext({ contextSize: 512, threads: 1 });
    const fresh = new NextTokenEvaluator(freshContext.getSequence());
    try {
      const expected = (await nextTokenDistribution(fresh, longer)).top;
      await nextTokenDistribution(evaluator, prompt);
      expectSamePredictions((await nextTokenDistribution(evaluator, longer)).top, expected);
      await nextTokenDistribution(evaluator, other);
      expectSamePredictions((await nextTokenDistribution(evaluator, longer)).top, expected);
      // Asking again for what the context already holds re-reads the last token's prediction.
      expectSamePredictions((await nextTokenDistribution(evaluator, longer)).top, expected);
      expectSamePredictions(
        (await nextTokenDistribution(evaluator, prompt)).top,
        (await nextTokenDistribution(fresh, prompt)).top,
      );
    } finally {
      await freshContext.dispose();
    }
  });

  it("GIVEN no tokens THEN evaluate refuses rather than predicting from nothing", async () => {
    await expect(evaluator.evaluate([])).rejects.toThrow(RangeError);
  });

  it("GIVEN a topK outside 1..20 THEN throws", async () => {
    const tokens = rawTokens("Hi");
    await expect(nextTokenDistribution(evaluator, tokens, { topK: 0 })).rejects.toThrow(RangeError);
    await expect(nextTokenDistribution(evaluator, tokens, { topK: MAX_TOP_K + 1 })).rejects.toThrow(
      RangeError,
    );
  });
});
