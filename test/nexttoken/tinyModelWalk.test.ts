import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getLlama, type Llama, LlamaLogLevel, type LlamaModel } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NextTokenEvaluator } from "../../src/nexttoken/NextTokenEvaluator.ts";
import { NextTokenWalk, type NextTokenWalkState } from "../../src/nexttoken/NextTokenWalk.ts";
import { NextTokenWalkFinishedError } from "../../src/nexttoken/NextTokenWalkFinishedError.ts";
import { TINY_REPLY, writeTinyGguf } from "../support/tinyGguf.ts";

/** Runs on a fresh clone: the model is written by test/support/tinyGguf.ts. */
describe("NextTokenWalk on the tiny self-built ChatML model", () => {
  const directory = join(tmpdir(), `lm-tutor-nexttoken-${process.pid}`);
  let llama: Llama;
  let model: LlamaModel;
  let evaluator: NextTokenEvaluator;

  beforeAll(async () => {
    const path = await writeTinyGguf(join(directory, "tiny-chatml.gguf"));
    llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
    model = await llama.loadModel({ modelPath: path });
    evaluator = await NextTokenEvaluator.create(model, { threads: 1 });
  });

  afterAll(async () => {
    await evaluator?.dispose();
    await model?.dispose();
    await llama?.dispose();
    await rm(directory, { recursive: true, force: true });
  });

  it("GIVEN a ChatML prompt THEN the instruct side says its reply, ends at <|im_end|> and the base side goes on", async () => {
    const prompt = "<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n";
    const walk = new NextTokenWalk({
      base: { evaluator, prompt: "la" },
      instruct: { evaluator, prompt },
      maxPromptTokens: 32,
      maxSteps: 6,
    });
    const states: NextTokenWalkState[] = [await walk.start()];
    while (!states.at(-1)?.finished) states.push(await walk.step({ temperature: 0 }));

    const ending = states[TINY_REPLY.length + 1];
    expect(ending?.instruct).toMatchObject({
      text: `${prompt}${TINY_REPLY}<|im_end|>`,
      appended: { text: "<|im_end|>", isSpecial: true },
      ended: true,
      top: [],
      restProbability: 0,
    });
    // The end of turn was the model's clear favourite, drawn as a special token beforehand.
    expect(states[TINY_REPLY.length]?.instruct.top[0]).toMatchObject({ text: "<|im_end|>", isSpecial: true });
    expect(ending?.instruct.appended?.probability).toBeGreaterThan(0.9);

    const last = states.at(-1);
    expect(last).toMatchObject({ step: 6, finished: true });
    expect(last?.instruct.appended).toBeUndefined();
    expect(last?.instruct.text).toBe(ending?.instruct.text);
    expect(last?.base).toMatchObject({ text: "lalalala", ended: false });
    await expect(walk.step({ temperature: 0 })).rejects.toBeInstanceOf(NextTokenWalkFinishedError);
  });

  it("GIVEN control-token text in the raw base prompt THEN it stays plain text, unlike the instruct prompt", () => {
    const imEnd = model.tokenize("<|im_end|>", true);
    expect(imEnd).toHaveLength(1);
    expect(evaluator.tokenizePrompt("<|im_end|>", false)).not.toContain(imEnd[0]);
    expect(evaluator.tokenizePrompt("<|im_end|>", true)).toContain(imEnd[0]);
  });
});
