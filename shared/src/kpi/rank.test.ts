import { describe, expect, it } from 'vitest'
import { overdueWork, type Rankable, rankedRates, rankUnits } from './rank'
import { MIN_SAMPLE, rateReading } from './sample'

const unit = (
  code: string,
  over: { overdue?: number; resolved?: number; onTime?: number; name?: string } = {},
) => {
  const resolved = over.resolved ?? 0
  const u: Rankable = {
    unit: code,
    name: over.name ?? code,
    tickets: {
      received: resolved,
      resolved,
      onTimeRate: resolved ? (over.onTime ?? 0) / resolved : null,
      medianResolveMinutes: null,
      overdue: over.overdue ?? 0,
    },
    dossiers: { finished: 0, onTimeRate: null, overdueOpen: 0 },
    tasks: { issued: 0, done: 0, onTimeRate: null, overdue: 0 },
    satisfaction: { responses: 0, rate: null },
  }
  return u
}

describe('the unit ranking (docs/design.md §10)', () => {
  it('puts open overdue work first, then the worst rate of enough sample, small samples after, then names', () => {
    const ranked = rankUnits([
      unit('two-tickets', { resolved: 2, onTime: 0 }), // 0 % of 2: below the minimum sample
      unit('big-good', { resolved: 200, onTime: 190 }),
      unit('big-bad', { resolved: 200, onTime: 100 }),
      unit('late', { overdue: 1, resolved: 200, onTime: 200 }),
      unit('b', { name: 'Đơn vị B' }),
      unit('a', { name: 'Đơn vị A' }),
    ])
    expect(ranked.map((u) => [u.rank, u.unit])).toEqual([
      [1, 'late'],
      [2, 'big-bad'],
      [3, 'big-good'],
      [4, 'a'],
      [5, 'b'],
      [6, 'two-tickets'],
    ])
    expect(overdueWork(unit('x', { overdue: 3 }))).toBe(3)
    expect(rankedRates(unit('x', { resolved: MIN_SAMPLE - 1, onTime: 1 }))).toEqual([])
    expect(rankedRates(unit('x', { resolved: MIN_SAMPLE, onTime: MIN_SAMPLE }))).toEqual([1])
  })

  it('reads a small sample as its count and a large one as a rate', () => {
    expect(rateReading(1, 3)).toEqual({ kind: 'count', part: 3, whole: 3 })
    expect(rateReading(2 / 3, 3)).toEqual({ kind: 'count', part: 2, whole: 3 })
    expect(rateReading(null, 0)).toEqual({ kind: 'none' })
    expect(rateReading(0.5, MIN_SAMPLE * 2)).toEqual({ kind: 'rate', rate: 0.5 })
  })
})
