import { describe, expect, it } from 'vitest'
import { binMinutes, medianMinutes, resolveBinGamma } from './median'

/** The same binning as the SQL function kpi_resolve_bin, for building histograms in tests. */
const bin = (minutes: number) => {
  const seconds = minutes * 60
  if (Math.abs(seconds) < 1) return 0
  return Math.sign(seconds) * (1 + Math.floor(Math.log(Math.abs(seconds)) / Math.log(resolveBinGamma)))
}
const histogram = (values: number[]) => {
  const h = new Map<number, number>()
  for (const v of values) h.set(bin(v), (h.get(bin(v)) ?? 0) + 1)
  return h
}

describe('median from the resolve-time histogram', () => {
  it('is null for no tickets', () => {
    expect(medianMinutes(new Map())).toBeNull()
    expect(medianMinutes(new Map([[5, 0]]))).toBeNull()
  })

  it('stays within 1% of the exact median, for odd and even counts', () => {
    for (const values of [[30, 120, 121], [5, 10, 600, 2000], [0.001, 1, 1], [480], [-3, 2, 9, 9]]) {
      const sorted = [...values].sort((a, b) => a - b)
      const n = sorted.length
      const exact = n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2
      expect(Math.abs(medianMinutes(histogram(values))! - exact)).toBeLessThanOrEqual(
        0.01 * Math.abs(exact) + 1 / 60,
      )
    }
  })

  it('represents each bin within 1% of every value in it', () => {
    for (const minutes of [1 / 60, 0.5, 7, 480, 10_000]) {
      expect(Math.abs(binMinutes(bin(minutes)) - minutes) / minutes).toBeLessThanOrEqual(0.0100001)
    }
  })
})
