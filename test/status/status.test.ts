import { describe, expect, it } from "vitest";
import { renderPairStatus } from "../../src/status/renderPairStatus.ts";

describe("/status", () => {
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

  it("GIVEN 30 operator pairs on engines THEN the 25 shown each keep both sides' state and the queue, whole, within the 6,000-character embed", () => {
    const side = (role: "base" | "instruct", index: number) => ({
      role,
      source: `engine:gpu-box-${index}/qwen2.5-0.5b${role === "instruct" ? "-instruct" : ""}`,
      location: {
        kind: "server" as const,
        engine: `gpu-box-${index}`,
        url: `http://gpu-box-${index}.lab.internal:8080`,
      },
      state: role === "base" ? ("ready" as const) : ("unreachable" as const),
      ...(role === "base"
        ? { detail: "qwen2.5-0.5b-q8_0", recentTokensPerSecond: 123.4 }
        : { detail: `connect ECONNREFUSED 10.0.0.${index}:8080` }),
    });
    const reports = Array.from({ length: 30 }, (_, index) => ({
      pairId: `qwen-${index}`,
      label: `Qwen2.5 0.5B #${index}`,
      isDefault: index === 0,
      base: side("base", index),
      instruct: side("instruct", index),
      queue: { running: 1, waiting: 2, slots: 4 },
      version: "llama.cpp b1-de3ff81",
    }));
    // Within the total, fitView (which applies Discord's limits to every reply) cuts nothing.
    const embed = renderPairStatus(reports).embeds?.[0];
    const fields = embed?.fields ?? [];
    expect(fields).toHaveLength(25);
    expect(embed?.footer).toBe("…and 5 more pairs");
    const total =
      (embed?.title?.length ?? 0) +
      (embed?.footer?.length ?? 0) +
      fields.reduce((sum, field) => sum + field.name.length + String(field.value).length, 0);
    expect(total).toBeLessThanOrEqual(6000);
    for (const [index, field] of fields.entries()) {
      expect(field.value).toContain("**base** 🟢 ready · 123.4 tok/s");
      expect(field.value).toContain("**instruct** 🔴 unreachable");
      expect(field.value).toContain(`gpu-box-${index}`);
      expect(field.value).toContain("1 running, 2 waiting");
    }
  });
});
