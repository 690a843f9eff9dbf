import { existsSync } from "node:fs";
import { z } from "zod";
import { samplingLimits } from "./llm/samplingLimits.ts";

/** Thrown when an environment variable is missing or malformed; the message names the variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

const booleanFromEnv = z
  .enum(["true", "false", "1", "0", "yes", "no"], { message: "must be true or false" })
  .transform((value) => value === "true" || value === "1" || value === "yes");

const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);

const configSchema = z.object({
  /** Bot token. Absent: `npm start` opens the terminal playground instead of connecting. */
  DISCORD_TOKEN: z.preprocess(
    emptyAsUndefined,
    z.string().min(20, "looks too short to be a bot token").optional(),
  ),
  /** REST base URL. Default Discord's own; a REST proxy or the local test double goes here. */
  DISCORD_API_URL: z.preprocess(
    emptyAsUndefined,
    z
      .url({ message: "must be an http(s) URL such as https://discord.com/api" })
      .default("https://discord.com/api"),
  ),
  /** Application id, for `npm run deploy-commands`; read from the API when absent. */
  DISCORD_APPLICATION_ID: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^\d{15,21}$/, "must be a snowflake id")
      .optional(),
  ),
  /** Guild to deploy commands to during development; absent means global deploy. */
  DISCORD_GUILD_ID: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^\d{15,21}$/, "must be a snowflake id")
      .optional(),
  ),
  /** SQLite file; its folder is created. Default `./data/lm-tutor.sqlite`. */
  DATABASE_PATH: z.preprocess(emptyAsUndefined, z.string().default("./data/lm-tutor.sqlite")),
  /** Folder of lesson tracks. Default `./content`. */
  CONTENT_DIR: z.preprocess(emptyAsUndefined, z.string().default("./content")),
  /** pino level. Default `info`. */
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ),
  /**
   * Base model: a local GGUF path or an `hf:` URI. Set (with or without INSTRUCT_MODEL), it forms
   * the pair `settings`, which is then the default; the side left unset comes from DEFAULT_PAIR.
   */
  BASE_MODEL: z.preprocess(emptyAsUndefined, z.string().optional()),
  /** Instruct model: same forms as BASE_MODEL. */
  INSTRUCT_MODEL: z.preprocess(emptyAsUndefined, z.string().optional()),
  /** Pair used when a command names none. Default: the operator file's `default`, else `smollm2-135m`. */
  DEFAULT_PAIR: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]*$/, "must be a pair id such as smollm2-135m")
      .optional(),
  ),
  /** YAML or JSON file that adds pairs, overrides built-in ones and names inference engines. Default: none. */
  MODEL_PAIRS_FILE: z.preprocess(emptyAsUndefined, z.string().optional()),
  /** Where `npm run models:pull` puts models and where `hf:` URIs are looked up. Default `./models`. */
  MODELS_DIR: z.preprocess(emptyAsUndefined, z.string().default("./models")),
  /**
   * Hugging Face, or a mirror of it, for `hf:` downloads. Default https://huggingface.co/. (Gated
   * repositories also need HF_TOKEN, which node-llama-cpp reads itself and never logs.)
   */
  HF_ENDPOINT: z.preprocess(
    emptyAsUndefined,
    z
      .url({ protocol: /^https?$/, message: "must be an http(s) URL such as https://huggingface.co/" })
      .optional(),
  ),
  /** Let the bot download missing models at start. Default false. */
  MODELS_AUTO_DOWNLOAD: z.preprocess(emptyAsUndefined, booleanFromEnv.default(false)),
  /** CPU threads per generation. Default: all cores but one (at least 1). */
  LLM_THREADS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(256).optional()),
  /** `auto` uses a GPU when node-llama-cpp finds one; `false` forces CPU. Default `auto`. */
  LLM_GPU: z.preprocess(emptyAsUndefined, z.enum(["auto", "false"]).default("auto")),
  /**
   * Context size per sequence, in tokens. Default: sized to a run, `COMPARE_MAX_PROMPT_TOKENS` plus
   * the chat template plus `COMPARE_MAX_TOKENS_LIMIT`, capped at the model's training context.
   */
  LLM_CONTEXT_SIZE: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(64).max(131072).optional()),
  /** Sequences each model serves at once. Default 1. */
  COMPARE_PARALLEL: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(16).default(1)),
  /** Longest prompt accepted, in tokens. Default 512. */
  COMPARE_MAX_PROMPT_TOKENS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(8).max(32768).default(512),
  ),
  /** Default and ceiling for `max_tokens`. Default 200, ceiling 1000. */
  COMPARE_DEFAULT_MAX_TOKENS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1).max(4096).default(samplingLimits.maxTokens.default),
  ),
  COMPARE_MAX_TOKENS_LIMIT: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number()
      .int()
      .min(1)
      .max(samplingLimits.maxTokens.ceiling)
      .default(samplingLimits.maxTokens.limit),
  ),
  /** Wall-clock limit of one generation, in seconds. Default 120. */
  COMPARE_TIME_LIMIT_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().min(1).max(840).default(120)),
  /** Any value turns off bold and dim text in the terminal playground (the NO_COLOR convention). */
  NO_COLOR: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .optional()
      .transform((value) => value !== undefined),
  ),
  /** Seconds a member waits between two `/compare` runs. Default 10. */
  COMPARE_COOLDOWN_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().min(0).max(3600).default(10)),
  /** Minutes without a host action or reveal after which a class ends itself. Default 120. */
  CLASS_IDLE_MINUTES: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(10080).default(120)),
});

export type Config = z.infer<typeof configSchema>;

/**
 * Validates the environment once. Throws a {@link ConfigError} naming every bad variable.
 * Only this module reads `process.env`.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join("\n  ")}`);
  }
  return result.data;
}

/**
 * Loads `.env` from the working directory into the environment when the file exists; variables
 * already set in the environment win.
 */
export function loadDotEnv(file = ".env"): void {
  if (existsSync(file)) process.loadEnvFile(file);
}
