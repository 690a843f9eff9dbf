/** Points for a right answer given at once; the floor is half of it, at the deadline. */
export const maxAnswerPoints = 1000;

/**
 * Speed points for one class answer, Kahoot-style:
 * `round(1000 × (1 − (elapsed ÷ limit) ÷ 2))` for a right answer, 0 for a wrong one. An instant
 * right answer earns 1000, one at the deadline 500. `elapsedMs` is clamped to `[0, limitMs]`, so a
 * click Discord stamped a moment before the question was stored still earns at most 1000.
 */
export function scoreAnswer(correct: boolean, elapsedMs: number, limitMs: number): number {
  if (!correct) return 0;
  if (!(limitMs > 0)) throw new RangeError(`limitMs must be positive (got ${limitMs})`);
  const share = Math.min(1, Math.max(0, elapsedMs / limitMs));
  return Math.round(maxAnswerPoints * (1 - share / 2));
}

/**
 * What a right class answer is worth on `/leaderboard`, where a right quiz answer is worth 1 and a
 * right blind-vote guess 2: the speed points in the same units, `round(points ÷ 500)`, so 1 point
 * for a right answer in the second half of the time and 2 in the first half. Without this, one
 * class question (500–1000 points) would outweigh hundreds of quiz answers.
 */
export function leaderboardPoints(classPoints: number): number {
  return Math.round(classPoints / (maxAnswerPoints / 2));
}
