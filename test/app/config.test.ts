import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";

describe("loadConfig", () => {
  it("GIVEN an empty environment THEN the documented defaults apply and the playground is chosen", () => {
    const config = loadConfig({});
    expect(config.DISCORD_TOKEN).toBeUndefined();
    expect(config).toMatchObject({
      DISCORD_API_URL: "https://discord.com/api",
      DATABASE_PATH: "./data/lm-tutor.sqlite",
      CONTENT_DIR: "./content",
      MODELS_DIR: "./models",
      MODELS_AUTO_DOWNLOAD: false,
      COMPARE_PARALLEL: 1,
      NO_COLOR: false,
    });
  });

  it("GIVEN empty strings (as in a copied .env.example) THEN they count as unset", () => {
    const config = loadConfig({ DISCORD_TOKEN: "", LLM_THREADS: "", NO_COLOR: "" });
    expect(config.DISCORD_TOKEN).toBeUndefined();
    expect(config.LLM_THREADS).toBeUndefined();
    expect(config.NO_COLOR).toBe(false);
  });

  it("GIVEN bad values THEN one error names every bad variable and says what is wrong, without echoing them", () => {
    const secret = "short.secret";
    let error: unknown;
    try {
      loadConfig({
        DISCORD_TOKEN: secret,
        DISCORD_API_URL: "discord",
        LLM_THREADS: "many",
        MODELS_AUTO_DOWNLOAD: "maybe",
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain("DISCORD_TOKEN: looks too short to be a bot token");
    expect(message).toContain("DISCORD_API_URL: must be an http(s) URL");
    expect(message).toContain("LLM_THREADS:");
    expect(message).toContain("MODELS_AUTO_DOWNLOAD: must be true or false");
    expect(message).not.toContain(secret);
  });

  it("GIVEN numbers and booleans as text THEN they are converted", () => {
    const config = loadConfig({
      LLM_THREADS: "3",
      MODELS_AUTO_DOWNLOAD: "true",
      COMPARE_TIME_LIMIT_SECONDS: "30",
    });
    expect(config).toMatchObject({
      LLM_THREADS: 3,
      MODELS_AUTO_DOWNLOAD: true,
      COMPARE_TIME_LIMIT_SECONDS: 30,
    });
  });

  it("GIVEN pair settings THEN they are read, and a malformed pair id or mirror URL is named", () => {
    const config = loadConfig({ DEFAULT_PAIR: "qwen2.5-0.5b", MODEL_PAIRS_FILE: "pairs.yaml" });
    expect(config).toMatchObject({ DEFAULT_PAIR: "qwen2.5-0.5b", MODEL_PAIRS_FILE: "pairs.yaml" });
    expect(config.BASE_MODEL).toBeUndefined();
    expect(config.INSTRUCT_MODEL).toBeUndefined();
    let error: unknown;
    try {
      loadConfig({ DEFAULT_PAIR: "My Pair", HF_ENDPOINT: "mirror" });
    } catch (caught) {
      error = caught;
    }
    expect((error as Error).message).toContain("DEFAULT_PAIR: must be a pair id such as smollm2-135m");
    expect((error as Error).message).toContain("HF_ENDPOINT: must be an http(s) URL");
  });
});
