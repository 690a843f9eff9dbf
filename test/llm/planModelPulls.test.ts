import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planModelPulls } from "../../src/llm/planModelPulls.ts";

describe("planModelPulls (no network)", () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "lm-tutor-pull-"));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it("GIVEN the default pair and an empty folder THEN both are to be downloaded", async () => {
    const steps = await planModelPulls(
      [
        { setting: "BASE_MODEL", spec: "hf:bartowski/SmolLM2-135M-GGUF:Q8_0" },
        { setting: "INSTRUCT_MODEL", spec: "hf:bartowski/SmolLM2-135M-Instruct-GGUF:Q8_0" },
      ],
      directory,
    );
    expect(steps.map((step) => step.action)).toEqual(["download", "download"]);
  });

  it("GIVEN a file already pulled under node-llama-cpp's name THEN it is skipped", async () => {
    await writeFile(join(directory, "hf_bartowski_SmolLM2-135M.Q8_0.gguf"), "x");
    await writeFile(join(directory, "hf_bartowski_SmolLM2-135M-Instruct-Q8_0.gguf"), "x");
    const steps = await planModelPulls(
      [
        { setting: "BASE_MODEL", spec: "hf:bartowski/SmolLM2-135M-GGUF:Q8_0" },
        {
          setting: "INSTRUCT_MODEL",
          spec: "hf:bartowski/SmolLM2-135M-Instruct-GGUF/SmolLM2-135M-Instruct-Q8_0.gguf",
        },
        { setting: "OTHER", spec: "hf:bartowski/SmolLM2-135M-GGUF:Q4_K_M" },
      ],
      directory,
    );
    expect(steps).toEqual([
      {
        action: "skip",
        setting: "BASE_MODEL",
        spec: "hf:bartowski/SmolLM2-135M-GGUF:Q8_0",
        path: join(directory, "hf_bartowski_SmolLM2-135M.Q8_0.gguf"),
      },
      {
        action: "skip",
        setting: "INSTRUCT_MODEL",
        spec: "hf:bartowski/SmolLM2-135M-Instruct-GGUF/SmolLM2-135M-Instruct-Q8_0.gguf",
        path: join(directory, "hf_bartowski_SmolLM2-135M-Instruct-Q8_0.gguf"),
      },
      { action: "download", setting: "OTHER", spec: "hf:bartowski/SmolLM2-135M-GGUF:Q4_K_M" },
    ]);
  });

  it("GIVEN local paths THEN they are only checked, never downloaded", async () => {
    const present = join(directory, "mine.gguf");
    await writeFile(present, "x");
    const steps = await planModelPulls(
      [
        { setting: "BASE_MODEL", spec: present },
        { setting: "INSTRUCT_MODEL", spec: join(directory, "absent.gguf") },
      ],
      directory,
    );
    expect(steps).toEqual([
      { action: "local", setting: "BASE_MODEL", spec: present, path: present },
      {
        action: "unavailable",
        setting: "INSTRUCT_MODEL",
        spec: join(directory, "absent.gguf"),
        path: join(directory, "absent.gguf"),
      },
    ]);
  });

  it("GIVEN the same URI for both settings THEN it is planned once", async () => {
    const spec = "hf:example/Both-GGUF:Q8_0";
    const steps = await planModelPulls(
      [
        { setting: "BASE_MODEL", spec },
        { setting: "INSTRUCT_MODEL", spec },
      ],
      directory,
    );
    expect(steps).toEqual([{ action: "download", setting: "BASE_MODEL", spec }]);
  });
});
