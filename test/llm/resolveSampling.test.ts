import { describe, expect, it } from "vitest";
import { SamplingValueError } from "../../src/llm/errors/SamplingValueError.ts";
import { resolveSampling } from "../../src/llm/resolveSampling.ts";

describe("resolveSampling", () => {
  it("GIVEN nothing THEN the defaults from samplingLimits and a drawn seed", () => {
    expect(resolveSampling(undefined, { random: () => 0.5 })).toEqual({
      temperature: 0.7,
      topP: 0.95,
      seed: 2 ** 30,
      maxTokens: 200,
    });
  });

  it("GIVEN a configured default above the limit THEN the default is lowered to the limit, not refused", () => {
    expect(resolveSampling({}, { defaultMaxTokens: 200, maxTokensLimit: 50 }).maxTokens).toBe(50);
    expect(() => resolveSampling({ maxTokens: 51 }, { maxTokensLimit: 50 })).toThrow(
      "max_tokens must be a whole number from 1 to 50; you sent 51.",
    );
  });

  it.each([
    [{ seed: -1 }, "seed must be a whole number from 0 to 2147483647; you sent -1."],
    [{ topP: Number.POSITIVE_INFINITY }, "top_p must be a number above 0 up to 1; you sent Infinity."],
    [{ temperature: 2.01 }, "temperature must be a number from 0 to 2; you sent 2.01."],
  ])("GIVEN %o THEN a SamplingValueError names the setting and its range", (request, message) => {
    expect(() => resolveSampling(request)).toThrow(SamplingValueError);
    expect(() => resolveSampling(request)).toThrow(message);
  });
});
