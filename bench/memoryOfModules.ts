/**
 * A child of the memory table (see measureMemory.ts): imports what the bot imports, one part at a
 * time, and prints its RSS after each as JSON, so the table can say where the memory of a bot
 * without models goes. Compiled and run like memoryBot.ts, with `--expose-gc`.
 */

/** RSS in MiB after each part was loaded, in order; the first is node alone. */
export type ModuleMemory = { part: string; rss: number }[];

async function rssAfterCollecting(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  await new Promise((resolve) => setImmediate(resolve));
  gc?.();
  return process.memoryUsage().rss / 2 ** 20;
}

const parts: [part: string, load: () => Promise<unknown>][] = [
  ["node", async () => undefined],
  ["discord.js", () => import("discord.js")],
  [
    "node-llama-cpp, with llama.cpp's CPU library",
    async () => {
      const { getLlama } = await import("node-llama-cpp");
      return getLlama({ gpu: false, build: "never", progressLogs: false });
    },
  ],
  ["the bot's other modules (zod, drizzle, SQLite, pino, its own code)", () => import("../src/startBot.ts")],
];

const measured: ModuleMemory = [];
for (const [part, load] of parts) {
  await load();
  measured.push({ part, rss: await rssAfterCollecting() });
}
process.stdout.write(`${JSON.stringify(measured)}\n`);
process.exit(0);
