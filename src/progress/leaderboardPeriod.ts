export const leaderboardPeriods = ["week", "all"] as const;

/** `week` is the last 7 days (rolling, not the calendar week); `all` is all time. */
export type LeaderboardPeriod = (typeof leaderboardPeriods)[number];

const weekMs = 7 * 24 * 60 * 60 * 1000;

/** The earliest moment whose points count for `period`; undefined means no limit. */
export function leaderboardPeriodStart(period: LeaderboardPeriod, now: Date): Date | undefined {
  return period === "week" ? new Date(now.getTime() - weekMs) : undefined;
}

/** Reads a period option; anything unknown (or absent) falls back to the default, `week`. */
export function parseLeaderboardPeriod(value: string | null): LeaderboardPeriod {
  return value === "all" ? "all" : "week";
}
