/**
 * A moment relative to `now`, the way the terminal shows Discord's relative timestamps:
 * "in 42 s", "in 3 min", "12 s ago", "2 h ago", "in 3 days"; "now" within half a second.
 */
export function formatMoment(at: Date, now: Date): string {
  const seconds = Math.round((at.getTime() - now.getTime()) / 1000);
  const size = Math.abs(seconds);
  if (size === 0) return "now";
  let amount: string;
  if (size < 60) amount = `${size} s`;
  else if (size < 60 * 60) amount = `${Math.round(size / 60)} min`;
  else if (size < 48 * 60 * 60) amount = `${Math.round(size / 3600)} h`;
  else amount = `${Math.round(size / 86_400)} days`;
  return seconds > 0 ? `in ${amount}` : `${amount} ago`;
}
