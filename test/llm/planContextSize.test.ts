import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CompareEngine } from "../../src/compare/CompareEngine.ts";
import { applyChatTemplate } from "../../src/llm/applyChatTemplate.ts";
import { GenerationQueue } from "../../src/llm/GenerationQueue.ts";
import { LocalModels } from "../../src/llm/LocalModels.ts";
import {
  CONTEXT_SLACK_TOKENS,
  measurePromptOverhead,
  planContextSize,
} from "../../src/llm/planContextSize.ts";
import { tokenizePrompt } from "../../src/llm/tokenizePrompt.ts";
import { loadModelPair, sharedModel } from "../support/testModels.ts";
import { type TinyCompareModels, writeTinyCompareModels } from "../support/tinyCompareModels.ts";

describe("planContextSize", () => {
  it("GIVEN the limits THEN a sequence holds the longest prompt, its template and max_tokens", () => {
    expect(
      planContextSize({
        maxPromptTokens: 512,
        promptOverheadTokens: 12,
        maxTokens: 1000,
        trainContextSize: 8192,
      }),
    ).toBe(512 + 12 + CONTEXT_SLACK_TOKENS + 1000);
  });

  it("GIVEN limits beyond the training context THEN the training context, not more", () => {
    expect(
      planContextSize({
        maxPromptTokens: 512,
        promptOverheadTokens: 12,
        maxTokens: 1000,
        trainContextSize: 512,
      }),
    ).toBe(512);
  });

  it("GIVEN a GGUF without a training context THEN the limits alone", () => {
    expect(
      planContextSize({ maxPromptTokens: 100, promptOverheadTokens: 1, maxTokens: 50, trainContextSize: 0 }),
    ).toBe(100 + 1 + CONTEXT_SLACK_TOKENS + 50);
  });
});

describe("a context sized to the limits, on the tiny models", () => {
  const maxPromptTokens = 64;
  const maxTokens = 300;
  let files: TinyCompareModels;
  let models: LocalModels;
  let engine: CompareEngine;

  beforeAll(async () => {
    // A long training context, so the size comes from the limits and not from the cap.
    files = await writeTinyCompareModels({ contextLength: 4096 });
    models = new LocalModels({
      base: files.base,
      instruct: files.instruct,
      gpu: false,
      threads: 1,
      maxPromptTokens,
      maxTokens,
    });
    await models.whenSettled();
    engine = new CompareEngine({
      models,
      queue: new GenerationQueue({ slots: 1, cooldownSeconds: 0, maxPromptTokens }),
      maxTokensLimit: maxTokens,
    });
  });

  afterAll(async () => {
    await engine?.close();
    await models?.dispose();
    await files?.remove();
  });

  it("GIVEN no LLM_CONTEXT_SIZE THEN each sequence is sized to the run, far below the training context", () => {
    for (const role of ["base", "instruct"] as const) {
      const loaded = models.get(role);
      expect(loaded.contextSize).toBeGreaterThanOrEqual(maxPromptTokens + maxTokens);
      // node-llama-cpp pads a context to a multiple of 256 tokens, as llama.cpp does.
      expect(loaded.contextSize).toBeLessThanOrEqual(512);
    }
  });

  it("GIVEN a prompt exactly at the limit, three-way, max_tokens at the limit THEN every raw side runs to max_tokens, none fills its context", async () => {
    const base = models.get("base").model;
    let prompt = "";
    while (base.tokenize(prompt, false).length < maxPromptTokens) prompt += "a";
    expect(base.tokenize(prompt, false)).toHaveLength(maxPromptTokens);

    const run = engine.start({
      userId: "member",
      prompt,
      mode: "three-way",
      sampling: { temperature: 0, maxTokens, seed: 1 },
    });
    const done = await run.done;
    const stats = Object.fromEntries(done.sides.map((side) => [side.key, side.stats]));
    // Raw text not ending in a newline makes the tiny models loop until they are told to stop.
    expect(stats.base).toMatchObject({ stopReason: "max-tokens", tokens: maxTokens });
    expect(stats["instruct-raw"]).toMatchObject({ stopReason: "max-tokens", tokens: maxTokens });
    expect(stats.instruct?.stopReason).toBe("end-of-turn");
  });
});

const storiesChat = sharedModel("stories260K-chatml.gguf");
const storiesBase = sharedModel("stories260K.gguf");

describe.skipIf(!storiesChat.present || !storiesBase.present)(
  `measurePromptOverhead on stories260K-chatml, whose ChatML markers are plain text${storiesChat.skipNote}`,
  () => {
    let models: LocalModels;

    beforeAll(async () => {
      models = await loadModelPair(storiesBase.path, storiesChat.path);
    });

    afterAll(async () => {
      await models?.dispose();
    });

    it.each([
      "Hi",
      "Once upon a time",
      "Write a story about a cat who wanted to fly.\nMake it short!",
      "   spaces around   ",
    ])("GIVEN %j THEN the template adds no more than the measured overhead and the slack", (prompt) => {
      const { model, chatTemplate } = models.get("instruct");
      const overhead = measurePromptOverhead(model, chatTemplate);
      // Markers such as <|im_start|> are not tokens here, so the template costs many tokens.
      expect(overhead).toBeGreaterThan(10);
      const rendered = applyChatTemplate(model, chatTemplate ?? "", [{ role: "user", content: prompt }]);
      const added = tokenizePrompt(model, rendered).tokens.length - model.tokenize(prompt, false).length;
      expect(added).toBeLessThanOrEqual(overhead + CONTEXT_SLACK_TOKENS);
    });

    it("GIVEN a base model THEN the overhead is its BOS", () => {
      const { model } = models.get("base");
      expect(measurePromptOverhead(model, null)).toBe(1);
    });
  },
);
