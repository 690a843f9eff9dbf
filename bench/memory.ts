/**
 * `npm run bench:memory`: section 4 of `npm run bench` alone (the bot's memory, about a minute),
 * `BENCH_MEMORY_RUNS` times (default 1), printing each table; the last run is written to
 * `bench/results/memory-latest.json`. The machine may be shared, so compare ranges over runs.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { measureMemoryWith, memorySection } from "./memorySection.ts";
import { readBenchSettings, repositoryRoot } from "./readBenchSettings.ts";

const settings = readBenchSettings(process.env);
const runs = settings.memoryRuns;
let last: unknown;
for (let run = 1; run <= runs; run++) {
  const section = memorySection(await measureMemoryWith(settings));
  console.log(`run ${run} of ${runs}`);
  console.log(section.lines.join("\n"));
  console.log("");
  if ("failures" in section.results && section.results.failures.length > 0) process.exitCode = 1;
  last = section.results;
}
const resultsDir = join(repositoryRoot, "bench", "results");
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, "memory-latest.json"), `${JSON.stringify(last, null, 2)}\n`);
