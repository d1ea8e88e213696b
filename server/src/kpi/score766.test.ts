import type { KpiSet } from '@citydeck/shared'
import { describe, expect, it } from 'vitest'
import { score766 } from './score766'

const kpis = (rates: {
  progress: number | null
  share: number | null
  online: number | null
  input: number | null
  result: number | null
  satisfied: number | null
}) =>
  ({
    tickets: {},
    dossiers: {
      progressRate: rates.progress,
      onlineRate: rates.online,
      digitizedInputRate: rates.input,
      digitizedResultRate: rates.result,
    },
    procedures: { onlineShare: rates.share },
    satisfaction: { rate: rates.satisfied },
  }) as unknown as KpiSet

describe('QĐ 766-style score', () => {
  it('gives full points at the thresholds and linear points below', () => {
    const s = score766(
      kpis({ progress: 1, share: 0.8, online: 0.5, input: 0.9, result: 0.8, satisfied: 0.9 }),
    )
    expect([s.progress.points, s.onlineService.points, s.digitisation.points, s.satisfaction.points]).toEqual(
      [20, 22, 22, 18],
    )
    expect(s.total).toBe(82)
    expect(s.max).toBe(82)
    const half = score766(
      kpis({ progress: 0.5, share: 0.4, online: 0.25, input: 0.4, result: 0, satisfied: 0.45 }),
    )
    expect([
      half.progress.points,
      half.onlineService.points,
      half.digitisation.points,
      half.satisfaction.points,
    ]).toEqual([10, 11, 5.5, 9])
  })

  it('scores a group without data as null and leaves it out of the total', () => {
    const s = score766(
      kpis({ progress: null, share: 0.8, online: null, input: 0.8, result: 0.8, satisfied: 0.9 }),
    )
    expect(s.progress.points).toBeNull()
    expect(s.onlineService.points).toBeNull()
    expect(s.onlineService.parts[0]).toMatchObject({ key: 'procedures.onlineShare', points: 11, fullAt: 0.8 })
    expect(s.total).toBe(40)
    expect(s.max).toBe(40)
    expect(s.publicity).toBeNull()
  })
})
