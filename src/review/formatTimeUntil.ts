const units = [
  { name: "day", ms: 24 * 60 * 60 * 1000 },
  { name: "hour", ms: 60 * 60 * 1000 },
  { name: "minute", ms: 60 * 1000 },
] as const;

/**
 * Says how long until `target` in plain words ("in 3 hours", "now"), rounded to the nearest whole
 * count of the largest unit that fits (so 23 h 59 min reads "in 1 day", matching what the member
 * was just told). Plain text rather than Discord's `<t:…:R>` so the playground reads the same.
 */
export function formatTimeUntil(target: Date, now: Date): string {
  const remaining = target.getTime() - now.getTime();
  for (const unit of units) {
    if (remaining < unit.ms * 0.995) continue;
    const count = Math.max(1, Math.round(remaining / unit.ms));
    if (count >= 1) return `in ${count} ${unit.name}${count === 1 ? "" : "s"}`;
  }
  return remaining > 0 ? "in less than a minute" : "now";
}
