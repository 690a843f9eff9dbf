import { SamplingValueError } from "./errors/SamplingValueError.ts";
import { samplingLimits } from "./samplingLimits.ts";

export interface SamplingRequest {
  /** `0` is greedy (always the most likely token). Default {@link samplingLimits}`.temperature.default`. */
  temperature?: number;
  /** Nucleus sampling threshold, above 0 and at most 1. Default {@link samplingLimits}`.topP.default`. */
  topP?: number;
  /** Same seed, same settings, same prompt: same replies. Default: drawn with `random`. */
  seed?: number;
  /** Tokens per side, 1 to `maxTokensLimit`. Default: `defaultMaxTokens`. */
  maxTokens?: number;
}

export interface ResolveSamplingOptions {
  /**
   * Tokens per side when the request does not say; lowered to `maxTokensLimit` when set above it
   * (a setting the member did not choose is never refused). Default {@link samplingLimits}`.maxTokens.default`.
   */
  defaultMaxTokens?: number;
  /** Most tokens per side a request may ask for. Default {@link samplingLimits}`.maxTokens.limit`. */
  maxTokensLimit?: number;
  /** Draws the seed when none is given. Default `Math.random`. */
  random?: () => number;
}

function describe(value: unknown): string {
  return typeof value === "string" ? `"${value}"` : String(value);
}

function checkNumber(
  setting: string,
  value: unknown,
  range: { min: number; max: number; minExclusive?: boolean; integer?: boolean },
): number {
  const kind = range.integer ? "a whole number" : "a number";
  const lower = range.minExclusive ? `above ${range.min}` : `from ${range.min}`;
  const inRange =
    typeof value === "number" &&
    Number.isFinite(value) &&
    (!range.integer || Number.isInteger(value)) &&
    (range.minExclusive ? value > range.min : value >= range.min) &&
    value <= range.max;
  if (!inRange) {
    throw new SamplingValueError(
      setting,
      `${setting} must be ${kind} ${lower} ${range.minExclusive ? "up " : ""}to ${range.max}; you sent ${describe(value)}.`,
    );
  }
  return value;
}

/**
 * Fills in the defaults of a sampling request and checks every value: each must be a finite number
 * in its range (a whole number for the seed and `maxTokens`). Anything else (a string from a
 * malformed payload, `NaN`, too many tokens) throws a {@link SamplingValueError} that names the
 * setting and its range, so no bad value ever reaches llama.cpp's sampler.
 */
export function resolveSampling(
  request: SamplingRequest | undefined,
  options: ResolveSamplingOptions = {},
): Required<SamplingRequest> {
  const limits = samplingLimits;
  const maxTokensLimit = options.maxTokensLimit ?? limits.maxTokens.limit;
  const random = options.random ?? Math.random;
  return {
    temperature: checkNumber(
      "temperature",
      request?.temperature ?? limits.temperature.default,
      limits.temperature,
    ),
    topP: checkNumber("top_p", request?.topP ?? limits.topP.default, { ...limits.topP, minExclusive: true }),
    seed: checkNumber("seed", request?.seed ?? Math.floor(random() * (limits.seed.max + 1)), {
      ...limits.seed,
      integer: true,
    }),
    maxTokens: checkNumber(
      "max_tokens",
      request?.maxTokens ?? Math.min(options.defaultMaxTokens ?? limits.maxTokens.default, maxTokensLimit),
      { min: 1, max: maxTokensLimit, integer: true },
    ),
  };
}
