/**
 * The smallest sample a rate is trusted with (docs/design.md §10): a rate over fewer items is ranked by
 * nothing and shown as its count (`3/3`, muted), never as a bare `100 %`. The one place this
 * number lives: the unit ranking (rank.ts), the screens and the PDF all read it from here.
 */
export const MIN_SAMPLE = 10

/** Whether a rate over `sample` items is below the minimum sample (0 items included). */
export const belowMinSample = (sample: number): boolean => sample < MIN_SAMPLE

/** How a rate reads: nothing to show, its count `part/whole` (small sample), or the rate itself. */
export type RateReading =
  | { kind: 'none' }
  | { kind: 'count'; part: number; whole: number }
  | { kind: 'rate'; rate: number }

/**
 * The reading of `rate` (0–1, null when `sample` is 0) over `sample` items. A rate is part /
 * whole of two counts, so `part` is recovered exactly by rounding.
 */
export function rateReading(rate: number | null, sample: number): RateReading {
  if (rate === null || sample === 0) return { kind: 'none' }
  if (belowMinSample(sample)) return { kind: 'count', part: Math.round(rate * sample), whole: sample }
  return { kind: 'rate', rate }
}
