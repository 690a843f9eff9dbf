/** Order statistics of a set of measurements; every field is `NaN` when there are none. */
export interface Summary {
  n: number;
  median: number;
  /** Nearest rank: with fewer than 10 values this is the maximum. */
  p90: number;
  min: number;
  max: number;
}

/** Median (mean of the two middle values for an even count), nearest-rank p90, min and max. */
export function summarize(values: readonly number[]): Summary {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  const at = (index: number) => sorted[index] ?? Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return {
    n: sorted.length,
    median: sorted.length % 2 === 1 ? at(middle) : (at(middle - 1) + at(middle)) / 2,
    p90: at(Math.ceil(0.9 * sorted.length) - 1),
    min: at(0),
    max: at(sorted.length - 1),
  };
}
