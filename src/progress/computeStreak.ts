export interface Streak {
  /** Consecutive active days ending today, or yesterday when today has no activity yet. */
  current: number;
  longest: number;
}

const dayMs = 24 * 60 * 60 * 1000;

/**
 * Computes streaks from active UTC days (`YYYY-MM-DD`, any order, duplicates allowed).
 * A streak survives until the end of the day after its last active day, so members are not
 * told they lost it before they had a chance to learn today.
 */
export function computeStreak(activeDays: readonly string[], today: string): Streak {
  const dayNumbers = [...new Set(activeDays.map(toDayNumber))].sort((a, b) => a - b);
  let longest = 0;
  let run = 0;
  let previous: number | undefined;
  for (const day of dayNumbers) {
    run = previous !== undefined && day === previous + 1 ? run + 1 : 1;
    longest = Math.max(longest, run);
    previous = day;
  }
  const todayNumber = toDayNumber(today);
  const endsRecently = previous !== undefined && (previous === todayNumber || previous === todayNumber - 1);
  return { current: endsRecently ? run : 0, longest };
}

function toDayNumber(day: string): number {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / dayMs);
}
