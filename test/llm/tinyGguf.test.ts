import { getLlama, type Llama, LlamaLogLevel, type LlamaModel } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TinyModelFiles, writeTinyModels } from "../support/testModels.ts";
import { buildTinyGguf, TINY_CHATML_TEMPLATE, TINY_REPLY } from "../support/tinyGguf.ts";

describe("the tiny self-built GGUF", () => {
  let files: TinyModelFiles;
  let llama: Llama;
  let model: LlamaModel;

  beforeAll(async () => {
    files = await writeTinyModels();
    llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error, maxThreads: 1 });
    model = await llama.loadModel({ modelPath: files.chatml });
  });

  afterAll(async () => {
    await model?.dispose();
    await llama?.dispose();
    await files?.remove();
  });

  it("GIVEN the same options THEN the same bytes", () => {
    expect(buildTinyGguf().equals(buildTinyGguf())).toBe(true);
    expect(buildTinyGguf({ seed: 2 }).equals(buildTinyGguf())).toBe(false);
  });

  it("GIVEN it is loaded THEN llama.cpp reads its template and ChatML control tokens", () => {
    expect(model.fileInfo.metadata.tokenizer.chat_template).toBe(TINY_CHATML_TEMPLATE);
    const imStart = model.tokenize("<|im_start|>", true);
    expect(imStart).toHaveLength(1);
    expect(imStart.every((token) => model.getTokenAttributes(token).control)).toBe(true);
    expect(model.tokenize("<|im_start|>", false).length).toBeGreaterThan(1);
    const [imEnd] = model.tokenize("<|im_end|>", true);
    expect(model.isEogToken(imEnd)).toBe(true);
    expect(model.tokens.bosString).toBe("<s>");
    expect(model.tokens.shouldPrependBosToken).toBe(true);
  });

  it("GIVEN a ChatML prompt THEN it replies and then emits <|im_end|>", async () => {
    const context = await model.createContext({ contextSize: 256, threads: 1 });
    try {
      const prompt = model.tokenize("<s><|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n", true);
      const out: typeof prompt = [];
      for await (const token of context
        .getSequence()
        .evaluate(prompt, { temperature: 0, yieldEogToken: true })) {
        out.push(token);
        if (model.isEogToken(token) || out.length > 10) break;
      }
      expect(model.detokenize(out, true)).toBe(`${TINY_REPLY}<|im_end|>`);
    } finally {
      await context.dispose();
    }
  });
});
