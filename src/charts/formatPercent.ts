/**
 * A probability as a percentage with one decimal (`0.4213` → `42.1%`). Values that would round
 * to zero but are not zero read `<0.1%`, so a listed token never claims to be impossible.
 */
export function formatPercent(probability: number): string {
  if (probability > 0 && probability < 0.0005) return "<0.1%";
  return `${(probability * 100).toFixed(1)}%`;
}
