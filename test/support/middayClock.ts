/** The app's clock in an end-to-end test about calendar days. */
export interface MiddayClock {
  now: () => Date;
  /** Moves the clock, for "yesterday" or "ten days ago"; 0 by default. */
  offsetMs: number;
}

/**
 * Starts at noon UTC of `day` and then advances with real time, so a test never straddles a
 * UTC midnight whenever it runs (a streak of "yesterday and today" stays two days), while
 * consecutive actions still get increasing timestamps. Discord's side keeps real time.
 */
export function middayClock(day = "2025-03-10"): MiddayClock {
  const noon = Date.parse(`${day}T12:00:00Z`);
  const realStart = Date.now();
  const clock: MiddayClock = {
    offsetMs: 0,
    now: () => new Date(noon + (Date.now() - realStart) + clock.offsetMs),
  };
  return clock;
}
