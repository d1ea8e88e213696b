/**
 * Median resolve time from the rollups' log-bin histogram (kpi/sql/tables.sql,
 * `kpi_resolve_bin`). DDSketch-style: bin i > 0 holds durations in [g^(i-1), g^i) seconds with
 * g = 1.01 / 0.99, and its representative 2 g^i / (g + 1) is within 1% of every value in it;
 * bin 0 holds |duration| < 1 s (reported as 0). So the median is within 1% (or 1 s) of the
 * exact `percentile_cont(0.5)`, and histograms merge by adding counts, which is what lets
 * any window be answered from rollups.
 */
export const resolveBinGamma = 1.01 / 0.99
/** The stated error bound: relative, and absolute (minutes) for sub-second durations. */
export const medianRelativeError = 0.01
export const medianAbsoluteErrorMinutes = 1 / 60

/** The representative duration of a bin, in minutes. */
export function binMinutes(bin: number): number {
  if (bin === 0) return 0
  const seconds = (2 * resolveBinGamma ** Math.abs(bin)) / (resolveBinGamma + 1)
  return (Math.sign(bin) * seconds) / 60
}

/**
 * Median of a histogram (bin → count), as `percentile_cont(0.5)` does: the middle value, or
 * the mean of the two middle values for an even count. Null when empty.
 */
export function medianMinutes(histogram: Map<number, number>): number | null {
  const bins = [...histogram.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0])
  const total = bins.reduce((sum, [, n]) => sum + n, 0)
  if (total === 0) return null
  const valueAtRank = (rank: number) => {
    let seen = 0
    for (const [bin, n] of bins) {
      seen += n
      if (seen >= rank) return binMinutes(bin)
    }
    return binMinutes(bins[bins.length - 1]![0])
  }
  if (total % 2 === 1) return valueAtRank((total + 1) / 2)
  return (valueAtRank(total / 2) + valueAtRank(total / 2 + 1)) / 2
}
