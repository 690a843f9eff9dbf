import type { EngineEndpoint, ModelSource, PairCatalogue } from "./ModelPair.ts";

/** The prefix of a BASE_MODEL / INSTRUCT_MODEL that names a server: `engine:http://host:8080#model`. */
const ENGINE_PREFIX = "engine:";

/** Settings of the one pair BASE_MODEL and INSTRUCT_MODEL describe. */
export interface SettingsPair {
  base: string;
  instruct: string;
  /** Environment variable with the API key of an `engine:` side. */
  apiKeyEnv?: string;
}

/**
 * The catalogue of the pair the settings name (origin `settings`), id `default`. Each model is a
 * GGUF path, an `hf:` URI, or `engine:<url>` for a model on an OpenAI-compatible server, with
 * `#<model>` when the server needs the model's name; two sides on the same URL share one engine.
 */
export function settingsCatalogue(settings: SettingsPair): PairCatalogue {
  const engines: EngineEndpoint[] = [];
  const sourceOf = (spec: string): ModelSource => {
    if (!spec.startsWith(ENGINE_PREFIX)) {
      return spec.startsWith("hf:") ? { kind: "hf", uri: spec } : { kind: "file", path: spec };
    }
    const [url = "", model] = spec.slice(ENGINE_PREFIX.length).split("#", 2);
    let engine = engines.find((known) => known.url === url);
    if (!engine) {
      engine = {
        id: `engine-${engines.length + 1}`,
        url,
        ...(settings.apiKeyEnv && { apiKeyEnv: settings.apiKeyEnv }),
      };
      engines.push(engine);
    }
    return { kind: "engine", engine: engine.id, ...(model && { model }) };
  };
  const base = sourceOf(settings.base);
  const instruct = sourceOf(settings.instruct);
  return {
    pairs: [{ id: "default", label: "the configured pair", base, instruct, origin: "settings" }],
    engines,
    defaultPairId: "default",
  };
}
