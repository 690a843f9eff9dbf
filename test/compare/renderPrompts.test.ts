import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderPrompts } from "../../src/compare/renderPrompts.ts";
import { describeTemplateTokens } from "../../src/llm/describeTemplateTokens.ts";
import type { LocalModels } from "../../src/llm/LocalModels.ts";
import { loadModelPair, loadTinyModels, sharedModel } from "../support/testModels.ts";

const prompts = { base: "<s>Hi", instruct: "<s><|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n" };

function descriptionOf(view: ReturnType<typeof renderPrompts>): string {
  const description = view.embeds?.[0]?.description;
  if (typeof description !== "string") throw new Error("expected a plain-text description");
  return description;
}

const base = sharedModel("stories260K.gguf");
const instruct = sharedModel("stories260K-chatml.gguf");

describe.skipIf(!base.present || !instruct.present)(`Show prompts on stories260K${base.skipNote}`, () => {
  let models: LocalModels;

  beforeAll(async () => {
    models = await loadModelPair(base.path, instruct.path);
  });

  afterAll(async () => {
    await models?.dispose();
  });

  it("GIVEN an instruct model whose vocabulary lacks the ChatML tokens THEN the markers are called plain characters, not special tokens", () => {
    const description = descriptionOf(
      renderPrompts("Hi", prompts, describeTemplateTokens(models.get("instruct"))),
    );
    expect(description).toContain("its vocabulary has no tokens for the template's markers");
    expect(description).toContain("it will not stop by itself");
    expect(description).not.toContain("special tokens");
  });
});

describe("Show prompts on the tiny ChatML model", () => {
  let tiny: Awaited<ReturnType<typeof loadTinyModels>>;

  beforeAll(async () => {
    tiny = await loadTinyModels();
  });

  afterAll(async () => {
    await tiny?.dispose();
  });

  it("GIVEN an instruct model with real ChatML control tokens THEN they are called special tokens, with its end-of-turn token", () => {
    const description = descriptionOf(
      renderPrompts("Hi", prompts, describeTemplateTokens(tiny.models.get("instruct"))),
    );
    expect(description).toContain("whose markers are special tokens of its vocabulary");
    expect(description).toContain("(`<|im_end|>`)");
  });
});

describe("renderPrompts", () => {
  it("GIVEN a prompt with a code fence and a long tail THEN the fence cannot close the block and the prompt is cut on a character boundary", () => {
    const view = renderPrompts(`${"a".repeat(199)}😀😀`, { base: "x```y" });
    expect(view.embeds?.[0]?.fields?.[0]?.value).toBe("```\nx`\u200b`\u200b`y\n```");
    expect(descriptionOf(view)).toMatch(/^Your prompt: a{199}…\n/);
  });
});
