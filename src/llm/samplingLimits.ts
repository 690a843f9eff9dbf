/**
 * The one source of `/compare`'s sampling defaults and limits: the engine, the slash command's
 * option bounds and descriptions, and the configuration defaults all read them from here.
 */
export const samplingLimits = {
  temperature: {
    /** Used when the member does not say. */
    default: 0.7,
    /** `0` is greedy: always the most likely token. */
    min: 0,
    max: 2,
  },
  topP: {
    /** Nucleus sampling threshold: keep the smallest set of tokens whose probabilities add up to this. */
    default: 0.95,
    /** Exclusive: a threshold of 0 would keep no token at all. */
    min: 0,
    max: 1,
  },
  seed: { min: 0, max: 2 ** 31 - 1 },
  maxTokens: {
    /** Tokens per side when the member does not say (`COMPARE_DEFAULT_MAX_TOKENS`'s default). */
    default: 200,
    /** Most tokens per side a member may ask for (`COMPARE_MAX_TOKENS_LIMIT`'s default). */
    limit: 1000,
    /** Highest value `COMPARE_MAX_TOKENS_LIMIT` may take, and the slash command option's maximum. */
    ceiling: 8192,
  },
} as const;
