import { describe, expect, it } from "vitest";
import { loadPairCatalogue } from "../../src/pairs/loadPairCatalogue.ts";
import { suggestPairs } from "../../src/pairs/suggestPairs.ts";

const catalogue = loadPairCatalogue({
  BASE_MODEL: undefined,
  INSTRUCT_MODEL: undefined,
  DEFAULT_PAIR: undefined,
  MODEL_PAIRS_FILE: undefined,
});

describe("suggestPairs", () => {
  it("GIVEN nothing typed THEN every pair, the default marked", () => {
    const choices = suggestPairs(catalogue, "");
    expect(choices.map((choice) => choice.value)).toEqual(catalogue.pairs.map((pair) => pair.id));
    expect(choices[0]).toEqual({ name: "SmolLM2 135M (smollm2-135m) · default", value: "smollm2-135m" });
  });

  it("GIVEN part of a label or id THEN the matching pairs, ids starting with it first", () => {
    expect(suggestPairs(catalogue, "Qwen").map((choice) => choice.value)).toEqual(["qwen2.5-0.5b"]);
    expect(suggestPairs(catalogue, "360").map((choice) => choice.value)).toEqual(["smollm2-360m"]);
    expect(suggestPairs(catalogue, "l").map((choice) => choice.value)[0]).toBe("llama-3.2-1b");
    expect(suggestPairs(catalogue, "gpt")).toEqual([]);
  });
});
