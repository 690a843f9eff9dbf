import { copyFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { command as status } from "../../commands/status.ts";
import { UserError } from "../../src/errors.ts";
import type { ModelPair } from "../../src/pairs/ModelPair.ts";
import { PairRuntime } from "../../src/pairs/PairRuntime.ts";
import { commandInvocation } from "../commands/recordingReply.ts";
import { type TinyModelFiles, writeTinyModels } from "../support/testModels.ts";

/*
 * Pairs at run time on the tiny self-built models (each file about 1 MB): loaded when first asked
 * for, kept warm within the memory budget, an idle pair unloaded for another, a pair in use never.
 */

function pairsOf(files: TinyModelFiles): ModelPair[] {
  return ["first", "second"].map((id) => ({
    id,
    label: `Pair ${id}`,
    base: { kind: "file", path: files.plain },
    instruct: { kind: "file", path: files.chatml },
    origin: "operator",
  }));
}

describe("PairRuntime on the tiny models", () => {
  let files: TinyModelFiles | undefined;
  let runtime: PairRuntime | undefined;

  afterEach(async () => {
    await runtime?.close();
    await files?.remove();
  });

  async function start() {
    files = await writeTinyModels();
    const logged: string[] = [];
    runtime = new PairRuntime({
      catalogue: { pairs: pairsOf(files), engines: [], defaultPairId: "first" },
      local: { gpu: false, threads: 1, contextSize: 128 },
      queue: { cooldownSeconds: 0 },
      log: (_, message) => logged.push(message),
    });
    return { runtime, logged };
  }

  it("GIVEN a pair nobody used yet THEN the first use loads it and hears 'loading', the next finds it ready", async () => {
    const { runtime } = await start();
    expect(runtime.report().map((pair) => [pair.pairId, pair.base.state, pair.isDefault])).toEqual([
      ["first", "unloaded", true],
      ["second", "unloaded", false],
    ]);
    const loading: string[] = [];
    const lease = await runtime.acquire("second", (label) => loading.push(label));
    expect(loading).toEqual(["Pair second"]);
    expect(lease.instruct.chatTemplate).not.toBeNull();
    lease.release();
    const again = await runtime.acquire("second", (label) => loading.push(label));
    expect(loading).toEqual(["Pair second"]);
    again.release();
    const report = runtime.report().find((pair) => pair.pairId === "second");
    expect(report).toMatchObject({
      queue: { running: 0, waiting: 0, slots: 1 },
      base: { state: "ready", detail: "tiny-plain", location: { kind: "in-process", device: "cpu" } },
      instruct: { state: "ready", detail: "tiny-chatml", source: files?.chatml },
      version: expect.stringMatching(/^llama\.cpp .* \(node-llama-cpp [\d.]+\)$/),
    });
  });

  it("GIVEN a pair whose file is missing THEN /status shows that side missing, privately; once the file is there the pair loads", async () => {
    const { runtime } = await start();
    const tiny = files as TinyModelFiles;
    const later = join(tiny.directory, "later.gguf");
    const broken = new PairRuntime({
      catalogue: {
        pairs: [
          {
            ...pairsOf(tiny)[0],
            id: "broken",
            base: { kind: "file", path: later },
          } as ModelPair,
        ],
        engines: [],
        defaultPairId: "broken",
      },
      local: { gpu: false, threads: 1, contextSize: 128 },
      queue: { cooldownSeconds: 0 },
    });
    try {
      await expect(broken.acquire()).rejects.toThrow(`The base model file is missing: ${later}`);
      const invocation = commandInvocation("status");
      await status.execute({ status: broken }, invocation);
      const view = invocation.reply.only("send");
      expect(view.ephemeral).toBe(true);
      const value = String(view.embeds?.[0]?.fields?.[0]?.value);
      expect(value).toContain(`**base** 🔴 missing — The base model file is missing: ${later}`);
      // Asked again with nothing changed, the same answer comes at once.
      await expect(broken.acquire()).rejects.toThrow(`The base model file is missing: ${later}`);
      expect(value).toContain(`in-process, CPU · \`${later}\``);
      expect(value).toContain("queue: 0 running, 0 waiting (1 at once)");
      await copyFile(tiny.plain, later);
      const lease = await broken.acquire();
      expect(lease.base.name).toBe("tiny-plain");
      lease.release();
    } finally {
      await broken.close();
      await runtime.close();
    }
  });

  it("GIVEN an unknown pair THEN a polite refusal that lists the pairs there are", async () => {
    const { runtime } = await start();
    await expect(runtime.acquire("nope")).rejects.toThrow(
      new UserError('There is no pair called "nope". Pick one of: first, second.'),
    );
  });

  /** A budget that holds one pair (its two files with the runtime's overhead) but not two. */
  async function budgetForOnePair(): Promise<number> {
    const { stat } = await import("node:fs/promises");
    if (!files) throw new Error("no files yet");
    const bytes = (await stat(files.plain)).size + (await stat(files.chatml)).size;
    return (bytes * 1.3 * 1.5) / 2 ** 20;
  }

  it("GIVEN a budget for one pair THEN loading the other unloads the idle one", async () => {
    const { runtime, logged } = await start();
    const budget = await budgetForOnePair();
    await runtime.close();
    const budgeted = new PairRuntime({
      catalogue: { pairs: pairsOf(files as TinyModelFiles), engines: [], defaultPairId: "first" },
      local: { gpu: false, threads: 1, contextSize: 128 },
      queue: { cooldownSeconds: 0 },
      memoryBudgetMb: budget,
      log: (_, message) => logged.push(message),
    });
    try {
      (await budgeted.acquire("first")).release();
      (await budgeted.acquire("second")).release();
      expect(budgeted.report().map((pair) => pair.base.state)).toEqual(["unloaded", "ready"]);
      expect(logged).toContain("unloaded idle pair first to make room for second");
    } finally {
      await budgeted.close();
    }
  });

  it("GIVEN a budget for one pair and that pair in use THEN the other loads anyway and the log says it is over budget", async () => {
    const { runtime, logged } = await start();
    const budget = await budgetForOnePair();
    await runtime.close();
    const budgeted = new PairRuntime({
      catalogue: { pairs: pairsOf(files as TinyModelFiles), engines: [], defaultPairId: "first" },
      local: { gpu: false, threads: 1, contextSize: 128 },
      queue: { cooldownSeconds: 0 },
      memoryBudgetMb: budget,
      log: (_, message) => logged.push(message),
    });
    try {
      const held = await budgeted.acquire("first");
      (await budgeted.acquire("second")).release();
      expect(budgeted.report().map((pair) => pair.base.state)).toEqual(["ready", "ready"]);
      expect(logged).toContain(
        "pair second loads beyond MODEL_MEMORY_BUDGET_MB: every other loaded pair is in use",
      );
      held.release();
    } finally {
      await budgeted.close();
    }
  });

  it("GIVEN a budget for one pair and both pairs first asked for at once THEN the second counts the first's load and says it is over budget", async () => {
    const { runtime, logged } = await start();
    const budget = await budgetForOnePair();
    await runtime.close();
    const budgeted = new PairRuntime({
      catalogue: { pairs: pairsOf(files as TinyModelFiles), engines: [], defaultPairId: "first" },
      local: { gpu: false, threads: 1, contextSize: 128 },
      queue: { cooldownSeconds: 0 },
      memoryBudgetMb: budget,
      log: (_, message) => logged.push(message),
    });
    try {
      const leases = await Promise.all([budgeted.acquire("first"), budgeted.acquire("second")]);
      for (const lease of leases) lease.release();
      expect(logged.filter((line) => line.includes("beyond MODEL_MEMORY_BUDGET_MB"))).toHaveLength(1);
    } finally {
      await budgeted.close();
    }
  });
});
