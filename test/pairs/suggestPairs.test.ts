import { describe, expect, it } from "vitest";
import type { ModelPair } from "../../src/pairs/ModelPair.ts";
import { suggestPairs } from "../../src/pairs/suggestPairs.ts";

const pair = (id: string, label: string): ModelPair => ({
  id,
  label,
  base: { kind: "file", path: `${id}-base.gguf` },
  instruct: { kind: "file", path: `${id}-instruct.gguf` },
  origin: "built-in",
});

const pairs = [
  pair("smollm2-135m", "SmolLM2 135M"),
  pair("qwen2.5-0.5b", "Qwen2.5 0.5B"),
  pair("gpu", "Llama on the GPU box"),
];

describe("suggestPairs", () => {
  it("GIVEN nothing typed THEN every pair, the default first and marked", () => {
    expect(suggestPairs(pairs, "", "qwen2.5-0.5b")).toEqual([
      { name: "Qwen2.5 0.5B (qwen2.5-0.5b) · default", value: "qwen2.5-0.5b" },
      { name: "SmolLM2 135M (smollm2-135m)", value: "smollm2-135m" },
      { name: "Llama on the GPU box (gpu)", value: "gpu" },
    ]);
  });

  it("GIVEN part of an id or label THEN only the pairs that contain it, whatever the case", () => {
    expect(suggestPairs(pairs, "LLAMA", "smollm2-135m").map((choice) => choice.value)).toEqual(["gpu"]);
    expect(suggestPairs(pairs, "135", "gpu").map((choice) => choice.value)).toEqual(["smollm2-135m"]);
  });

  it("GIVEN more pairs than Discord shows and a long label THEN 25 choices, names within 100 characters", () => {
    const many = Array.from({ length: 30 }, (_, index) => pair(`p${index}`, "x".repeat(120)));
    const choices = suggestPairs(many, "", "p0");
    expect(choices).toHaveLength(25);
    for (const choice of choices) expect(choice.name.length).toBeLessThanOrEqual(100);
  });
});
