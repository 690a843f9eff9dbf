import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { LOCAL_FILE_ADVICE } from "../../src/pairs/DownloadFailure.ts";
import { pullPairs } from "../../src/pairs/pullPairs.ts";
import { closedLoopbackPort, type FakeModelHost, startFakeModelHost } from "../support/fakeModelHost.ts";
import { buildTinyGguf } from "../support/tinyGguf.ts";

/** The default pair's two files, served by a stand-in for Hugging Face with tiny GGUF bodies. */
const files = {
  "QuantFactory/SmolLM2-135M-GGUF/SmolLM2-135M.Q8_0.gguf": buildTinyGguf(),
  "bartowski/SmolLM2-135M-Instruct-GGUF/SmolLM2-135M-Instruct-Q8_0.gguf": buildTinyGguf({
    chatTemplate: "{{ messages[0].content }}",
  }),
};

let host: FakeModelHost;
beforeAll(async () => {
  host = await startFakeModelHost(files);
});
afterAll(() => host.close());

async function pull(args: string[], env: Record<string, string>): Promise<{ code: number; text: string }> {
  const output = new PassThrough();
  let text = "";
  output.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  const code = await pullPairs({ config: loadConfig(env), args, output });
  return { code, text };
}

describe("npm run models:pull", () => {
  it("GIVEN no arguments THEN the default pair is downloaded with a progress bar, and a second run skips it", async () => {
    const modelsDir = await mkdtemp(join(tmpdir(), "lm-tutor-pull-"));
    const env = { MODELS_DIR: modelsDir, HF_ENDPOINT: host.url };
    const first = await pull([], env);
    expect(first.code).toBe(0);
    expect(first.text).toContain("SmolLM2 135M (smollm2-135m):");
    expect(first.text).toContain(
      "  base: downloading hf:QuantFactory/SmolLM2-135M-GGUF/SmolLM2-135M.Q8_0.gguf (",
    );
    // Not a terminal: plain lines, the last one at 100 %.
    expect(first.text).toMatch(/\[█{24}\] 100% {2}\d/);
    expect(first.text).not.toContain("\r");

    const second = await pull([], env);
    expect(second.code).toBe(0);
    expect(second.text).toContain(
      `  base: already downloaded (${join(modelsDir, "hf_QuantFactory_SmolLM2-135M.Q8_0.gguf")})`,
    );
    expect(second.text).toContain(
      `  instruct: already downloaded (${join(modelsDir, "hf_bartowski_SmolLM2-135M-Instruct-Q8_0.gguf")})`,
    );
    expect(second.text).not.toContain("downloading");
  });

  it("GIVEN an engine pair and a local path THEN nothing is downloaded for them and a missing path fails", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lm-tutor-pull-"));
    const pairsFile = join(folder, "pairs.yaml");
    await writeFile(
      pairsFile,
      `engines:\n  - id: box\n    url: http://127.0.0.1:9\npairs:\n  - id: remote\n    base: engine:box\n    instruct: ${join(folder, "absent.gguf")}\n`,
    );
    const result = await pull(["remote"], { MODELS_DIR: folder, MODEL_PAIRS_FILE: pairsFile });
    expect(result.code).toBe(1);
    expect(result.text).toContain('  base: served by engine "box"; nothing to download');
    expect(result.text).toContain(
      `  instruct: no file at ${join(folder, "absent.gguf")}, and a path cannot be downloaded`,
    );
  });

  it("GIVEN an unknown pair THEN it fails and lists the known pairs", async () => {
    const result = await pull(["gpt-5"], {});
    expect(result.code).toBe(1);
    expect(result.text).toMatch(/^No pair "gpt-5"\. Known pairs: smollm2-135m, smollm2-360m, /);
  });

  it("GIVEN an unreachable host THEN the failure says so and how to use a local file instead", async () => {
    const port = await closedLoopbackPort();
    const modelsDir = await mkdtemp(join(tmpdir(), "lm-tutor-pull-"));
    const result = await pull(["smollm2-135m"], {
      MODELS_DIR: modelsDir,
      HF_ENDPOINT: `http://127.0.0.1:${port}/`,
    });
    expect(result.code).toBe(1);
    expect(result.text).toContain(`127.0.0.1:${port} refused the connection`);
    expect(result.text).toContain(LOCAL_FILE_ADVICE);
  });
});
