import { formatNumber, formatTable } from "./formatTable.ts";
import { type MemoryResults, type MemorySnapshot, measureMemory } from "./measureMemory.ts";
import type { BenchSettings } from "./readBenchSettings.ts";

/** The prompt of the memory table's `/compare` and `/nexttoken`. */
export const MEMORY_PROMPT = "Write a short story about a robot who learns to paint.";
/** Next token clicks after the memory table's `/nexttoken`. */
export const NEXT_TOKEN_STEPS = 5;

/** Section 4 of `npm run bench` as lines of text, with the results it was made from. */
/** The memory table's measurement with the bench's settings, for `npm run bench` and `npm run bench:memory`. */
export function measureMemoryWith(settings: BenchSettings): ReturnType<typeof measureMemory> {
  return measureMemory({
    sharedModelsDir: settings.modelsDir,
    python: settings.python,
    threads: settings.threads,
    prompt: MEMORY_PROMPT,
    maxTokens: settings.compareMaxTokens,
    nextTokenSteps: NEXT_TOKEN_STEPS,
  });
}

export function memorySection(results: MemoryResults | { skipped: string }) {
  if ("skipped" in results) {
    return { lines: ["5. Memory: NOT MEASURED", results.skipped], results };
  }
  const { columns } = results;
  const idle = columns.find((column) => column.scenario === "idle");
  const idleTrimmed = columns.find((column) => column.scenario === "idle, malloc trim");
  const mib = (value: number | null) => formatNumber(value, 0);
  const row = (name: string, pick: (snapshot: MemorySnapshot) => string) => [
    name,
    ...columns.map((column) => pick(column.after)),
  ];
  const growth = (from: MemorySnapshot | undefined, to: MemorySnapshot) =>
    from === undefined || from === to ? "–" : `+${formatNumber(to.rss - from.rss, 0)}`;
  const grown = (column: (typeof columns)[number]) => growth(column.ready, column.after);
  const grownAfterWarmUp = (column: (typeof columns)[number]) => growth(column.warmed, column.after);
  const table = formatTable(
    ["MiB", ...columns.map((column) => column.scenario)],
    [
      row("RSS", (snapshot) => mib(snapshot.rss)),
      ["  grown since this process was ready", ...columns.map(grown)],
      ["  of which after the charts were warmed up", ...columns.map(grownAfterWarmUp)],
      row(
        "  anonymous / file-backed",
        (snapshot) => `${mib(snapshot.anonymous)} / ${mib(snapshot.fileBacked)}`,
      ),
      row(
        "  JS heap used / resident / external",
        (snapshot) =>
          `${mib(snapshot.heapUsed)} / ${mib(snapshot.heapCommitted)} / ${mib(snapshot.external)}`,
      ),
      row("llama.cpp: weights (with CPU repacking)", (snapshot) => mib(snapshot.buffers.weights)),
      row("llama.cpp: KV cache", (snapshot) => mib(snapshot.buffers.kvCache)),
      row("llama.cpp: compute, allocated", (snapshot) => mib(snapshot.buffers.compute)),
      row("llama.cpp: output", (snapshot) => formatNumber(snapshot.buffers.output, 1)),
    ],
  );
  const nextToken = columns.find((column) => column.scenario === "/nexttoken");
  const noModels = columns.find((column) => column.scenario === "no models");
  // Each part's cost is what loading it added; "running" is the started bot beyond its modules.
  const parts = results.modules.map(({ part, rss }, index) => [
    `  ${part}`,
    `${index === 0 ? "" : "+"}${mib(rss - (results.modules[index - 1]?.rss ?? 0))}`,
  ]);
  const loaded = results.modules.at(-1)?.rss;
  const modulesTable = formatTable(
    ["bot without models, MiB (one more fresh process, loading its parts in turn)", "RSS"],
    [
      ...parts,
      [
        "  running: database, lessons, Discord connection (the no models column)",
        noModels && loaded !== undefined ? `+${mib(noModels.after.rss - loaded)}` : "–",
      ],
    ],
  );
  const contexts = Object.entries(results.contexts)
    .map(([role, { tokens, sequences }]) => `${role} ${sequences} sequences × ${tokens} tokens`)
    .join(", ");
  return {
    lines: [
      "5. Memory of the bot: one fresh process per column (bench/memoryBot.ts, compiled, npm start's node options), CPU, MiB (2^20 bytes)",
      `   models: ${results.models.note}`,
      `   contexts: ${contexts}`,
      "",
      table,
      "",
      ...columns.map((column) => `${column.scenario}: ${column.work}.`),
      "",
      modulesTable,
      "",
      "llama.cpp's buffers are what it says it allocated; RSS counts only pages touched (the compute buffer",
      "is sized for the largest batch; the KV cache is zeroed at creation, so it is resident from the start).",
      `Goals: idle RSS with the pair loaded ≤ 600: ${mib(idle?.after.rss ?? null)} (${mib(idleTrimmed?.after.rss ?? null)} with the README's malloc setting); /nexttoken adds ≤ 50: ${nextToken ? `${grown(nextToken)}, of which ${grownAfterWarmUp(nextToken)} after /progress had warmed up the chart renderer` : "–"}.`,
      ...results.failures.map((failure) => `FAILED: ${failure}`),
    ],
    results,
  };
}
