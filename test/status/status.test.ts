import { describe, expect, it } from "vitest";
import { command as status } from "../../commands/status.ts";
import { GenerationQueue } from "../../src/llm/GenerationQueue.ts";
import type { ModelRole, ModelStatus } from "../../src/llm/LocalModels.ts";
import { loadPairCatalogue } from "../../src/pairs/loadPairCatalogue.ts";
import { LocalPairStatus } from "../../src/status/LocalPairStatus.ts";
import type { PairStatusReport } from "../../src/status/PairStatusReport.ts";
import { renderPairStatus } from "../../src/status/renderPairStatus.ts";
import { commandInvocation } from "../commands/recordingReply.ts";

const catalogue = loadPairCatalogue({
  BASE_MODEL: "/models/base.gguf",
  INSTRUCT_MODEL: undefined,
  DEFAULT_PAIR: undefined,
  MODEL_PAIRS_FILE: undefined,
});

function modelsWith(statuses: Record<ModelRole, ModelStatus>) {
  return { status: (role: ModelRole) => statuses[role] };
}

async function run(service: { report(): PairStatusReport[] }) {
  const invocation = commandInvocation("status");
  await status.execute({ status: service }, invocation);
  return invocation.reply.only("send");
}

describe("/status", () => {
  it("GIVEN the in-process default pair with one model ready and one downloading THEN each side's place, state and the queue show, only to the asker", async () => {
    const queue = new GenerationQueue({ slots: 1, cooldownSeconds: 0 });
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = queue.submit({ userId: "a", promptTokens: 1, timeLimitMs: 60_000, run: () => held });
    const second = queue.submit({ userId: "b", promptTokens: 1, timeLimitMs: 60_000, run: async () => {} });
    const service = new LocalPairStatus({
      catalogue,
      models: modelsWith({
        base: { state: "ready", spec: "/models/base.gguf", path: "/models/base.gguf", name: "Tiny Base" },
        instruct: { state: "downloading", spec: "hf:x/y/z.gguf", downloadedBytes: 25, totalBytes: 100 },
      }),
      queue,
      gpu: false,
      version: "llama.cpp v0.5.0 (node-llama-cpp 3.22.1)",
    });

    const view = await run(service);
    expect(view.ephemeral).toBe(true);
    const fields = view.embeds?.[0]?.fields ?? [];
    expect(fields[0]?.name).toBe("BASE_MODEL / INSTRUCT_MODEL (settings) · default");
    expect(fields[0]?.value).toBe(
      [
        "**base** 🟢 ready — Tiny Base",
        "in-process, CPU · `/models/base.gguf`",
        "**instruct** 🟡 downloading — 25 %",
        "in-process, CPU · `hf:bartowski/SmolLM2-135M-Instruct-GGUF/SmolLM2-135M-Instruct-Q8_0.gguf`",
        "queue: 1 running, 1 waiting (1 at once) · llama.cpp v0.5.0 (node-llama-cpp 3.22.1)",
      ].join("\n"),
    );
    // Every other pair is listed as not loaded.
    expect(fields.map((field) => field.name)).toContain("Qwen2.5 0.5B (qwen2.5-0.5b)");
    expect(fields.find((field) => field.name.startsWith("Qwen"))?.value).toContain("**base** ⚪ not loaded");
    release();
    await first.result;
    await second.result;
  });

  it("GIVEN a pair on an engine THEN its side shows the server's URL", () => {
    const view = renderPairStatus([
      {
        pairId: "big",
        label: "Big",
        isDefault: false,
        base: {
          role: "base",
          source: "engine:gpu/Qwen/Qwen2.5-7B",
          location: { kind: "server", engine: "gpu", url: "http://10.0.0.5:8080" },
          state: "ready",
          recentTokensPerSecond: 41.25,
        },
        instruct: {
          role: "instruct",
          source: "engine:gpu",
          location: { kind: "server", engine: "gpu", url: "http://10.0.0.5:8080" },
          state: "unreachable",
          detail: "connect ECONNREFUSED 10.0.0.5:8080",
        },
        queue: { running: 2, waiting: 0, slots: 4 },
        version: "llama-server b6000",
      },
    ]);
    expect(view.embeds?.[0]?.fields?.[0]?.value).toBe(
      [
        "**base** 🟢 ready · 41.3 tok/s",
        "server `gpu` (http://10.0.0.5:8080) · `engine:gpu/Qwen/Qwen2.5-7B`",
        "**instruct** 🔴 unreachable — connect ECONNREFUSED 10.0.0.5:8080",
        "server `gpu` (http://10.0.0.5:8080) · `engine:gpu`",
        "queue: 2 running, 0 waiting (4 at once) · llama-server b6000",
      ].join("\n"),
    );
  });

  it("GIVEN more pairs than an embed holds and very long sources THEN Discord's limits are kept", () => {
    const side = (role: "base" | "instruct") => ({
      role,
      source: `/${"x".repeat(3000)}.gguf`,
      location: { kind: "in-process" as const, device: "auto" as const },
      state: "failed" as const,
      detail: "y".repeat(3000),
    });
    const reports = Array.from({ length: 30 }, (_, index) => ({
      pairId: `p${index}`,
      label: "L".repeat(300),
      isDefault: index === 0,
      base: side("base"),
      instruct: side("instruct"),
      queue: { running: 0, waiting: 0, slots: 1 },
    }));
    const embed = renderPairStatus(reports).embeds?.[0];
    expect(embed?.fields).toHaveLength(25);
    expect(embed?.footer).toBe("…and 5 more pairs");
    for (const field of embed?.fields ?? []) {
      expect(field.name.length).toBeLessThanOrEqual(256);
      expect(String(field.value).length).toBeLessThanOrEqual(1024);
    }
  });
});
