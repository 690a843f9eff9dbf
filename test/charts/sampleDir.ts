import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Where test runs leave sample charts for a human to look at; outside the repository on purpose. */
export const SAMPLE_DIR = join(tmpdir(), "lm-tutor-charts");

export function saveSample(name: string, png: Buffer): string {
  mkdirSync(SAMPLE_DIR, { recursive: true });
  const path = join(SAMPLE_DIR, name);
  writeFileSync(path, png);
  return path;
}
