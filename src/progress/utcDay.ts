/** The UTC calendar day of `date` as `YYYY-MM-DD`; streaks count these days. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
