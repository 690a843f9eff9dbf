import { getLlama, type LlamaModel } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderTokenize } from "../../src/tokenize/renderTokenize.ts";
import { tokenizeText } from "../../src/tokenize/tokenizeText.ts";
import { plainText } from "../../src/ui/richText.ts";
import { sharedModel } from "../support/testModels.ts";

const stories = sharedModel("stories260K.gguf");

describe.skipIf(!stories.present)(`tokenizeText on stories260K${stories.skipNote}`, () => {
  let model: LlamaModel;

  beforeAll(async () => {
    const llama = await getLlama({ gpu: false });
    model = await llama.loadModel({ modelPath: stories.path });
  });

  afterAll(async () => {
    await model?.dispose();
  });

  it("GIVEN strawberry THEN it comes out as several pieces behind a BOS, which put together give the word back", () => {
    const result = tokenizeText(model, "strawberry");
    expect(result.pieces[0]).toMatchObject({ special: true, text: "<s>" });
    const text = result.pieces.filter((piece) => !piece.special).map((piece) => piece.text);
    expect(text.length).toBeGreaterThan(1);
    expect(text.join("")).toBe("strawberry");
    expect(result.textTokens).toBe(result.pieces.length - 1);
  });

  it("GIVEN words after the first THEN each word-start piece shows its space, and a newline is its own piece", () => {
    const result = tokenizeText(model, "Hello, world!\nNew line");
    const text = result.pieces.filter((piece) => !piece.special).map((piece) => piece.text);
    expect(text.join("")).toBe("Hello, world!\nNew line");
    expect(text).toContain("\n");
    expect(text.some((piece) => piece?.startsWith(" "))).toBe(true);
  });

  it("GIVEN characters the vocabulary only has as bytes THEN those pieces have no text of their own", () => {
    const result = tokenizeText(model, "日本語");
    expect(result.pieces.some((piece) => piece.text === null)).toBe(true);
  });

  it("GIVEN a result THEN the message shows the pieces with visible spaces, the ids and the counts", () => {
    const result = tokenizeText(model, "the cat");
    const view = renderTokenize({
      text: "the cat",
      models: [{ role: "base", modelName: "stories", ...result }],
      sameTokenizer: true,
    });
    const field = view.embeds?.[0]?.fields?.[0];
    expect(field?.name).toBe(`Base · stories: ${result.textTokens} tokens + BOS`);
    expect(plainText(field?.value ?? "")).toContain("│␣c");
    expect(plainText(field?.value ?? "")).toContain(
      `ids: ${result.pieces.map((piece) => piece.id).join(" ")}`,
    );
  });
});
