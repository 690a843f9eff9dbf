import {
  getLlama,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  LlamaLogLevel,
  type LlamaModel,
} from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "../../src/llm/generate.ts";
import { renderChatPrompt } from "../../src/llm/renderChatPrompt.ts";
import { tokenizePrompt } from "../../src/llm/tokenizePrompt.ts";
import { sharedModel, type TinyModelFiles, writeTinyModels } from "../support/testModels.ts";
import { TINY_CHATML_TEMPLATE, TINY_MULTIBYTE_LOOP, TINY_REPLY } from "../support/tinyGguf.ts";

let llama: Llama;

beforeAll(async () => {
  llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error, maxThreads: 1 });
});

afterAll(async () => {
  await llama?.dispose();
});

async function open(
  path: string,
): Promise<{ model: LlamaModel; context: LlamaContext; sequence: LlamaContextSequence }> {
  const model = await llama.loadModel({ modelPath: path });
  const context = await model.createContext({ contextSize: 512, threads: 1 });
  return { model, context, sequence: context.getSequence() };
}

describe("generate on the tiny ChatML model", () => {
  let files: TinyModelFiles;
  let model: LlamaModel;
  let context: LlamaContext;
  let sequence: LlamaContextSequence;
  const chatPrompt = () =>
    tokenizePrompt(model, renderChatPrompt(TINY_CHATML_TEMPLATE, [{ role: "user", content: "Hello" }]))
      .tokens;

  beforeAll(async () => {
    files = await writeTinyModels();
    ({ model, context, sequence } = await open(files.chatml));
  });

  afterAll(async () => {
    await context?.dispose();
    await model?.dispose();
    await files?.remove();
  });

  it("GIVEN a chat prompt THEN it streams the reply and stops at end of turn", async () => {
    const chunks: string[] = [];
    const result = await generate(sequence, chatPrompt(), {
      maxTokens: 50,
      onText: (chunk) => chunks.push(chunk),
    });
    await result.released;
    expect(result.text).toBe(TINY_REPLY);
    expect(chunks.join("")).toBe(TINY_REPLY);
    expect(result.stats).toMatchObject({
      tokens: 3,
      stopReason: "end-of-turn",
      promptTokens: chatPrompt().length,
    });
    expect(result.stats.timeToFirstTokenMs).toBeGreaterThan(0);
  });

  it("GIVEN a template stop token THEN generation ends on it, before showing it", async () => {
    const bang = model.tokenize("!", false).slice(-1);
    const result = await generate(sequence, chatPrompt(), { maxTokens: 50, stopTokens: new Set(bang) });
    expect(result.text).toBe("Hi");
    expect(result.stats.stopReason).toBe("end-of-turn");
  });

  it("GIVEN raw text THEN it runs until max tokens", async () => {
    const prompt = tokenizePrompt(model, "Hello").tokens;
    const result = await generate(sequence, prompt, { maxTokens: 7 });
    expect(result.text).toBe("lalalal");
    expect(result.stats).toMatchObject({ tokens: 7, stopReason: "max-tokens" });
  });

  it("GIVEN a character made of two byte tokens THEN no streamed chunk splits it", async () => {
    const chunks: string[] = [];
    const prompt = tokenizePrompt(model, "#").tokens;
    const result = await generate(sequence, prompt, { maxTokens: 9, onText: (chunk) => chunks.push(chunk) });
    expect(result.text).toBe(TINY_MULTIBYTE_LOOP.repeat(3));
    expect(chunks).toEqual(["é", "#", "é", "#", "é", "#"]);
    expect(result.stats.tokens).toBe(9);
  });

  it("GIVEN an aborted signal THEN nothing is generated and the reason is stopped", async () => {
    const result = await generate(sequence, chatPrompt(), { signal: AbortSignal.abort() });
    expect(result.text).toBe("");
    expect(result.stats).toMatchObject({ tokens: 0, stopReason: "stopped", timeToFirstTokenMs: null });
  });
});

const stories = sharedModel("stories260K.gguf");

describe.skipIf(!stories.present)(`generate on stories260K${stories.skipNote}`, () => {
  let model: LlamaModel;
  let context: LlamaContext;
  let sequence: LlamaContextSequence;
  const prompt = () => tokenizePrompt(model, "Once upon a time").tokens;

  beforeAll(async () => {
    ({ model, context, sequence } = await open(stories.path));
  });

  afterAll(async () => {
    await context?.dispose();
    await model?.dispose();
  });

  it("GIVEN temperature 0 THEN the same story every time", async () => {
    const first = await generate(sequence, prompt(), { temperature: 0, maxTokens: 24 });
    await first.released;
    const second = await generate(sequence, prompt(), { temperature: 0, maxTokens: 24 });
    expect(second.text).toBe(first.text);
    expect(first.text).toMatchInlineSnapshot(
      `", there was a little girl named Lily. She loved to play outside in the p"`,
    );
    expect(first.stats).toMatchObject({ tokens: 24, stopReason: "max-tokens" });
  });

  it("GIVEN temperature 1 and a seed THEN the seed decides the story", async () => {
    const run = async (seed: number) => {
      const result = await generate(sequence, prompt(), { temperature: 1, seed, maxTokens: 40 });
      await result.released;
      return result.text;
    };
    const [a, b, c] = [await run(42), await run(42), await run(7)];
    expect(b).toBe(a);
    expect(c).not.toBe(a);
  });

  // The latency of a stop is a figure of `npm run bench`, not a timed assertion.
  it("GIVEN a running generation WHEN it is aborted after the first token THEN it stops there with reason stopped", async () => {
    const controller = new AbortController();
    const result = await generate(sequence, prompt(), {
      maxTokens: 400,
      signal: controller.signal,
      onText: () => controller.abort(),
    });
    expect(result.stats.stopReason).toBe("stopped");
    expect(result.stats.tokens).toBeLessThanOrEqual(2);
    await result.released;
  });

  it("GIVEN a time limit THEN it stops there with reason time-limit", async () => {
    const result = await generate(sequence, prompt(), { maxTokens: 480, timeLimitMs: 30 });
    await result.released;
    expect(result.stats.stopReason).toBe("time-limit");
    expect(result.stats.tokens).toBeGreaterThan(0);
    expect(result.stats.tokens).toBeLessThan(480);
  });
});
