const discordEpochMs = 1_420_070_400_000n;
/** Timestamp baked into stable ids, so they look like real 18-digit snowflakes from 2020. */
const stableEpochMs = 1_577_836_800_000n;

let increment = 0n;

/** A fresh snowflake carrying the current time, unique within this process. */
export function nextSnowflake(): string {
  increment = (increment + 1n) & 0x3f_ffffn;
  return (((BigInt(Date.now()) - discordEpochMs) << 22n) | increment).toString();
}

/**
 * The same snowflake for the same seed on every run (FNV-1a hash of the seed in the low bits),
 * so users and fixtures keep their ids across test runs and in snapshots.
 */
export function stableSnowflake(seed: string): string {
  let hash = 0x811c9dc5;
  for (const char of seed) {
    hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 0x01000193) >>> 0;
  }
  return (((stableEpochMs - discordEpochMs) << 22n) | BigInt(hash & 0x3f_ffff)).toString();
}
