import { copyFile, open, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelConfigError } from "../../src/llm/errors/ModelConfigError.ts";
import { ModelNotReadyError } from "../../src/llm/errors/ModelNotReadyError.ts";
import { LocalModels, type LocalModelsOptions } from "../../src/llm/LocalModels.ts";
import { sharedModel, type TinyModelFiles, writeTinyModels } from "../support/testModels.ts";

let files: TinyModelFiles;
const opened: LocalModels[] = [];

beforeAll(async () => {
  files = await writeTinyModels();
});

afterAll(async () => {
  for (const models of opened) await models.dispose();
  await files?.remove();
});

async function settle(options: Partial<LocalModelsOptions>): Promise<LocalModels> {
  const models = new LocalModels({
    base: files.plain,
    instruct: files.chatml,
    modelsDir: files.directory,
    gpu: false,
    threads: 1,
    contextSize: 256,
    ...options,
  });
  opened.push(models);
  await models.whenSettled();
  return models;
}

describe("LocalModels", () => {
  it("GIVEN two good files THEN start returns at once and both become ready", async () => {
    const models = new LocalModels({
      base: files.plain,
      instruct: files.chatml,
      gpu: false,
      threads: 1,
      contextSize: 256,
      parallel: 2,
    });
    opened.push(models);
    models.start();
    expect(models.status("base").state).toBe("loading");
    await models.whenSettled();
    expect(models.status("base")).toMatchObject({ state: "ready", name: "tiny-plain", path: files.plain });
    expect(models.status("instruct")).toMatchObject({ state: "ready", name: "tiny-chatml" });
    const instruct = models.get("instruct");
    expect(instruct.sequences).toHaveLength(4);
    expect(models.get("base").sequences).toHaveLength(2);
    expect(instruct.chatTemplate).toContain("<|im_start|>");
    expect([...instruct.endOfTurnTokens].map((token) => instruct.model.detokenize([token], true))).toEqual([
      "<|im_end|>",
    ]);
    expect(models.get("base").chatTemplate).toBeNull();
  });

  it("GIVEN an hf: URI already pulled into the models folder THEN it is found without a download", async () => {
    await copyFile(files.chatml, join(files.directory, "hf_example_Tiny-Instruct.Q8_0.gguf"));
    const models = await settle({ instruct: "hf:example/Tiny-Instruct-GGUF:Q8_0" });
    expect(models.status("instruct")).toMatchObject({
      state: "ready",
      path: join(files.directory, "hf_example_Tiny-Instruct.Q8_0.gguf"),
    });
  });

  it("GIVEN missing files THEN status missing names the file and says to pull the models", async () => {
    const models = await settle({
      base: join(files.directory, "nope.gguf"),
      instruct: "hf:example/Absent-GGUF:Q4_K_M",
    });
    expect(models.status("base")).toMatchObject({
      state: "missing",
      file: join(files.directory, "nope.gguf"),
    });
    expect(models.status("instruct")).toMatchObject({
      state: "missing",
      file: `hf:example/Absent-GGUF:Q4_K_M (not in ${files.directory})`,
      hint: expect.stringContaining("npm run models:pull"),
    });
    expect(() => models.get("base")).toThrow(ModelNotReadyError);
    expect(() => models.get("instruct")).toThrow("The instruct model is not installed on this server yet");
  });

  it("GIVEN garbage, a damaged header and a truncated model THEN each fails with the reason", async () => {
    const garbage = join(files.directory, "garbage.gguf");
    await writeFile(garbage, Buffer.from("this is not a model at all, just some text bytes".repeat(10)));
    const damaged = join(files.directory, "damaged.gguf");
    await writeFile(
      damaged,
      Buffer.concat([Buffer.from("GGUF\x03\0\0\0", "latin1"), Buffer.alloc(16, 0x7f), Buffer.alloc(64)]),
    );
    const truncated = join(files.directory, "truncated.gguf");
    const source = await open(files.chatml);
    const half = Buffer.alloc(20_000);
    await source.read(half, 0, half.length, 0);
    await source.close();
    await writeFile(truncated, half);

    const first = await settle({ base: garbage, instruct: damaged });
    expect(first.status("base")).toMatchObject({
      state: "failed",
      reason: expect.stringContaining("not a GGUF model"),
    });
    expect(first.status("instruct")).toMatchObject({
      state: "failed",
      reason: expect.stringContaining("header is damaged"),
    });
    expect(() => first.get("base")).toThrow("could not be loaded");

    // Passes the file checks, but llama.cpp finds a tensor missing; dispose must still return.
    const renamed = join(files.directory, "renamed-tensor.gguf");
    const bytes = await readFile(files.chatml);
    const name = Buffer.from("blk.0.ffn_down.weight");
    bytes.set(Buffer.from("blk.0.ffn_dowX.weight"), bytes.indexOf(name));
    await writeFile(renamed, bytes);

    const second = await settle({ base: truncated, instruct: renamed });
    expect(second.status("base")).toMatchObject({
      state: "failed",
      reason: expect.stringMatching(
        /truncated\.gguf: the file is incomplete: its tensors need \d+ bytes but it has 20000/,
      ),
    });
    expect(second.status("instruct")).toMatchObject({
      state: "failed",
      reason: expect.stringContaining("renamed-tensor.gguf: Failed to load model"),
    });
    const disposing = performance.now();
    await second.dispose();
    expect(performance.now() - disposing).toBeLessThan(5_000);
  });

  it("GIVEN an instruct model without a chat template THEN a configuration error, not a fallback", async () => {
    const models = await settle({ instruct: files.plain });
    const status = models.status("instruct");
    expect(status.state).toBe("misconfigured");
    if (status.state !== "misconfigured") return;
    expect(status.error).toBeInstanceOf(ModelConfigError);
    expect(status.error.message).toBe(
      `INSTRUCT_MODEL (${files.plain}) has no tokenizer.chat_template; pick an instruct/chat GGUF.`,
    );
    expect(() => models.get("instruct")).toThrow(ModelNotReadyError);
    expect(models.status("base").state).toBe("ready");
  });

  const llama2 = sharedModel("llama-2-tiny-random.gguf");
  it.skipIf(!llama2.present)(
    `GIVEN llama-2-tiny-random as the instruct model THEN misconfigured${llama2.skipNote}`,
    async () => {
      const models = await settle({ instruct: llama2.path });
      expect(models.status("instruct")).toMatchObject({
        state: "misconfigured",
        error: expect.objectContaining({
          message: expect.stringContaining("has no tokenizer.chat_template"),
        }),
      });
    },
  );
});
