import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { builtInPairs } from "../../src/pairs/builtInPairs.ts";
import {
  defaultPair,
  findPair,
  loadPairCatalogue,
  PairCatalogueError,
  type PairSettings,
} from "../../src/pairs/loadPairCatalogue.ts";
import { parseModelSource } from "../../src/pairs/parseModelSource.ts";

const folder = mkdtempSync(join(tmpdir(), "lm-tutor-pairs-"));
let counter = 0;
function pairsFile(text: string, extension = "yaml"): string {
  const file = join(folder, `pairs-${++counter}.${extension}`);
  writeFileSync(file, text);
  return file;
}

function settings(overrides: Partial<PairSettings> = {}): PairSettings {
  return {
    BASE_MODEL: undefined,
    INSTRUCT_MODEL: undefined,
    DEFAULT_PAIR: undefined,
    MODEL_PAIRS_FILE: undefined,
    ...overrides,
  };
}

function errorOf(work: () => unknown): Error {
  try {
    work();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}

describe("built-in pairs", () => {
  it("GIVEN the shipped catalogue THEN every side names an exact GGUF file on Hugging Face and ids are unique", () => {
    const ids = new Set(builtInPairs.map((pair) => pair.id));
    expect(ids.size).toBe(builtInPairs.length);
    for (const pair of builtInPairs) {
      for (const source of [pair.base, pair.instruct]) {
        expect(source.kind).toBe("hf");
        if (source.kind === "hf") expect(parseModelSource(source.uri)).toEqual(source);
      }
      expect(pair.license).toBeTruthy();
      expect(pair.templateFamily).toBeTruthy();
      expect(pair.shows).toBeTruthy();
    }
  });
});

describe("loadPairCatalogue", () => {
  it("GIVEN no settings THEN the built-in pairs are offered and SmolLM2 135M is the default", () => {
    const catalogue = loadPairCatalogue(loadConfig({}));
    expect(catalogue.defaultPairId).toBe("smollm2-135m");
    expect(defaultPair(catalogue).base).toEqual({
      kind: "hf",
      uri: "hf:QuantFactory/SmolLM2-135M-GGUF/SmolLM2-135M.Q8_0.gguf",
    });
    expect(catalogue.pairs.map((pair) => pair.id)).toEqual(builtInPairs.map((pair) => pair.id));
    expect(catalogue.engines).toEqual([]);
  });

  it("GIVEN BASE_MODEL only THEN a settings pair is the default and its instruct side comes from DEFAULT_PAIR", () => {
    const catalogue = loadPairCatalogue(
      settings({ BASE_MODEL: "./models/mine.gguf", DEFAULT_PAIR: "qwen2.5-0.5b" }),
    );
    const pair = defaultPair(catalogue);
    expect(pair).toMatchObject({
      id: "settings",
      origin: "settings",
      base: { kind: "file", path: "./models/mine.gguf" },
    });
    expect(pair.instruct).toEqual(findPair(catalogue, "qwen2.5-0.5b")?.instruct);
  });

  it("GIVEN the older tagged hf: form in BASE_MODEL THEN it is still accepted", () => {
    const catalogue = loadPairCatalogue(settings({ BASE_MODEL: "hf:bartowski/SmolLM2-135M-GGUF:Q8_0" }));
    expect(defaultPair(catalogue).base).toEqual({ kind: "hf", uri: "hf:bartowski/SmolLM2-135M-GGUF:Q8_0" });
  });

  it("GIVEN an unknown DEFAULT_PAIR THEN the error names the setting and the known pairs", () => {
    const error = errorOf(() => loadPairCatalogue(settings({ DEFAULT_PAIR: "gpt-5" })));
    expect(error).toBeInstanceOf(PairCatalogueError);
    expect(error.message).toMatch(/^DEFAULT_PAIR: no pair "gpt-5" \(known: smollm2-135m, /);
  });

  it("GIVEN an operator file THEN it adds pairs, overrides built-in ones field by field and defines engines", () => {
    const file = pairsFile(`# classroom setup
default: qwen-7b
engines:
  - id: gpu-box
    url: http://10.0.0.5:8080
    apiKeyEnv: GPU_BOX_API_KEY
    slots: 4
pairs:
  - id: qwen-7b
    label: Qwen2.5 7B on the GPU box
    base: engine:gpu-box/Qwen/Qwen2.5-7B
    instruct: engine:gpu-box/Qwen/Qwen2.5-7B-Instruct
  - id: smollm2-135m
    base: ./models/smollm2-base-f16.gguf
`);
    const catalogue = loadPairCatalogue(settings({ MODEL_PAIRS_FILE: file }));
    expect(catalogue.defaultPairId).toBe("qwen-7b");
    expect(catalogue.engines).toEqual([
      { id: "gpu-box", url: "http://10.0.0.5:8080", apiKeyEnv: "GPU_BOX_API_KEY", slots: 4 },
    ]);
    expect(findPair(catalogue, "qwen-7b")).toMatchObject({
      origin: "operator",
      base: { kind: "engine", engine: "gpu-box", model: "Qwen/Qwen2.5-7B" },
    });
    const overridden = findPair(catalogue, "smollm2-135m");
    const builtIn = builtInPairs.find((pair) => pair.id === "smollm2-135m");
    expect(overridden).toMatchObject({
      origin: "operator",
      label: "SmolLM2 135M",
      base: { kind: "file", path: "./models/smollm2-base-f16.gguf" },
      instruct: builtIn?.instruct,
      license: "Apache-2.0",
    });
    expect(overridden?.sizeBytes).toBeUndefined();
  });

  it("GIVEN a JSON operator file THEN it is read the same way", () => {
    const file = pairsFile(
      JSON.stringify({ pairs: [{ id: "tiny", base: "/m/base.gguf", instruct: "/m/chat.gguf" }] }, null, 2),
      "json",
    );
    expect(findPair(loadPairCatalogue(settings({ MODEL_PAIRS_FILE: file })), "tiny")).toMatchObject({
      label: "tiny",
      base: { kind: "file", path: "/m/base.gguf" },
    });
  });

  it("GIVEN BASE_MODEL and an operator file THEN the settings pair is still the default", () => {
    const file = pairsFile("default: qwen2.5-0.5b\n");
    const catalogue = loadPairCatalogue(settings({ MODEL_PAIRS_FILE: file, INSTRUCT_MODEL: "/m/chat.gguf" }));
    expect(catalogue.defaultPairId).toBe("settings");
    expect(defaultPair(catalogue).base).toEqual(findPair(catalogue, "qwen2.5-0.5b")?.base);
  });

  describe("GIVEN a malformed operator file THEN the error names the file, the line and the field", () => {
    const cases: [string, string, RegExp][] = [
      ["YAML syntax", "pairs:\n  - id: a\n    base: [unclosed\n", /:\d+: not valid YAML or JSON: /],
      [
        "a missing instruct side on a new pair",
        "pairs:\n  - id: new-pair\n    base: /m/b.gguf\n",
        /:2: pairs\[0\]: "new-pair" is not a built-in pair, so it needs both base and instruct \(instruct is missing\)$/,
      ],
      [
        "a tagged hf: URI",
        "pairs:\n  - id: x\n    base: hf:bartowski/SmolLM2-135M-GGUF:Q8_0\n    instruct: /m/i.gguf\n",
        /:3: pairs\[0\]\.base: "hf:bartowski\/SmolLM2-135M-GGUF:Q8_0" does not name a file; write hf:<user>\/<repo>\/<file>\.gguf/,
      ],
      [
        "an unknown engine",
        "engines:\n  - id: box\n    url: http://127.0.0.1:8080\npairs:\n  - id: x\n    base: engine:gpu\n    instruct: engine:box\n",
        /:6: pairs\[0\]\.base: engine "gpu" is not defined under engines \(defined: box\)$/,
      ],
      [
        "a duplicate pair id",
        "pairs:\n  - id: x\n    base: /a.gguf\n    instruct: /b.gguf\n  - id: x\n    base: /c.gguf\n    instruct: /d.gguf\n",
        /:5: pairs\[1\]\.id: "x" is already defined at line 2$/,
      ],
      [
        "a duplicate engine id",
        "engines:\n  - id: e\n    url: http://a:1\n  - id: e\n    url: http://b:1\n",
        /:4: engines\[1\]\.id: "e" is already defined at line 2$/,
      ],
      [
        "a bad URL",
        "engines:\n  - id: e\n    url: ftp://x\n",
        /:3: engines\[0\]\.url: must be an http\(s\) URL/,
      ],
      [
        "a URL with a password",
        "engines:\n  - id: e\n    url: http://admin:sk-secret-value@a:1\n",
        /:3: engines\[0\]\.url: must not hold a user name or password; .* apiKeyEnv$/,
      ],
      [
        "a URL with a key in its query string",
        "engines:\n  - id: e\n    url: http://a:1/?api_key=sk-secret-value\n",
        /:3: engines\[0\]\.url: must not have a query string/,
      ],
      [
        "an inline API key",
        "engines:\n  - id: e\n    url: http://a:1\n    apiKey: sk-secret-value\n",
        /:2: engines\[0\]: API keys are not read from this file; .* apiKeyEnv$/,
      ],
      ["a wrong type", "pairs:\n  - id: x\n    sizeBytes: big\n", /:3: pairs\[0\]\.sizeBytes: /],
      ["a missing id", "pairs:\n  - label: nameless\n", /:2: pairs\[0\]\.id: is required$/],
      ["an unknown default", "default: nope\n", /:1: default: no pair "nope" \(known: /],
    ];
    for (const [what, text, expected] of cases) {
      it(`(${what})`, () => {
        const file = pairsFile(text);
        const error = errorOf(() => loadPairCatalogue(settings({ MODEL_PAIRS_FILE: file })));
        expect(error).toBeInstanceOf(PairCatalogueError);
        expect(error.message.startsWith(`${file}:`)).toBe(true);
        expect(error.message).toMatch(expected);
        expect(error.message).not.toContain("sk-secret-value");
      });
    }
  });

  it("GIVEN a MODEL_PAIRS_FILE that does not exist THEN the error names the setting and the path", () => {
    const error = errorOf(() =>
      loadPairCatalogue(settings({ MODEL_PAIRS_FILE: join(folder, "absent.yaml") })),
    );
    expect(error.message).toBe(`MODEL_PAIRS_FILE: cannot read ${join(folder, "absent.yaml")}: no such file`);
  });

  it("GIVEN BASE_MODEL naming an engine no file defines THEN the error names BASE_MODEL", () => {
    const error = errorOf(() => loadPairCatalogue(settings({ BASE_MODEL: "engine:gpu" })));
    expect(error.message).toBe(
      'BASE_MODEL: engine "gpu" is not defined under engines (the file defines none)',
    );
  });
});
