import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeTemplate } from "../../src/compare/describeTemplate.ts";
import type { LocalModels } from "../../src/llm/LocalModels.ts";
import { localPairSource } from "../support/localPairSource.ts";
import { loadModelPair, loadTinyModels, sharedModel } from "../support/testModels.ts";

describe("describeTemplate on the tiny models", () => {
  let tiny: Awaited<ReturnType<typeof loadTinyModels>>;
  let pairs: ReturnType<typeof localPairSource>;

  beforeAll(async () => {
    tiny = await loadTinyModels();
    pairs = localPairSource(tiny.models);
  });

  afterAll(async () => {
    await tiny?.dispose();
  });

  it("GIVEN no message THEN the default conversation, rendered with the generation prompt", async () => {
    const description = await describeTemplate(pairs.sides());
    expect(description.instruct.rendered).toMatchInlineSnapshot(`
      "<s><|im_start|>system
      You are a helpful assistant.<|im_end|>
      <|im_start|>user
      What is a language model?<|im_end|>
      <|im_start|>assistant
      A program that predicts the next token of a text.<|im_end|>
      <|im_start|>user
      Give me an example.<|im_end|>
      <|im_start|>assistant
      "
    `);
    expect(description.instruct.endOfTurn).toEqual(["<|im_end|>"]);
    expect(description.instruct.messages.map((message) => message.role)).toEqual([
      "system",
      "user",
      "assistant",
      "user",
    ]);
    expect(description.base).toEqual({ modelName: "tiny-plain", template: null });
  });

  it("GIVEN the member's message THEN only that message is rendered", async () => {
    expect((await describeTemplate(pairs.sides(), "Why is the sky blue?")).instruct.rendered).toBe(
      "<s><|im_start|>user\nWhy is the sky blue?<|im_end|>\n<|im_start|>assistant\n",
    );
  });
});

const base = sharedModel("stories260K.gguf");
const chatml = sharedModel("stories260K-chatml.gguf");

describe.skipIf(!base.present || !chatml.present)(
  `describeTemplate on the stories260K pair${chatml.skipNote}`,
  () => {
    let models: LocalModels;
    let pairs: ReturnType<typeof localPairSource>;

    beforeAll(async () => {
      models = await loadModelPair(base.path, chatml.path);
      pairs = localPairSource(models);
    });

    afterAll(async () => {
      await models?.dispose();
    });

    it("GIVEN the template from the GGUF metadata THEN SmolLM2's default system turn appears", async () => {
      const description = await describeTemplate(pairs.sides(), "Tell me a story.");
      expect(description.instruct.rendered).toMatchInlineSnapshot(`
      "<s><|im_start|>system
      You are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>
      <|im_start|>user
      Tell me a story.<|im_end|>
      <|im_start|>assistant
      "
    `);
      // stories260K has no <|im_end|> token, so nothing in the vocabulary ends a turn.
      expect(description.instruct.endOfTurn).toEqual([]);
      expect(description.base.template).toBeNull();
    });
  },
);
