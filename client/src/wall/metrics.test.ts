import type { KpiSet } from '@citydeck/shared'
import { describe, expect, it } from 'vitest'
import { metricValue, monthlyRate } from './metrics'

const day = (key: string, received: number, onlineRate: number | null) => ({
  key,
  kpis: { dossiers: { received, onlineRate } } as unknown as KpiSet,
})

describe('KPI values for the wall', () => {
  it('reads a key path, null when missing', () => {
    const kpis = { tickets: { open: 3, onTimeRate: null } } as unknown as KpiSet
    expect(metricValue(kpis, 'tickets.open')).toBe(3)
    expect(metricValue(kpis, 'tickets.onTimeRate')).toBeNull()
    expect(metricValue(null, 'tickets.open')).toBeNull()
  })

  it('folds days into months weighted by each day’s volume', () => {
    const months = monthlyRate(
      [day('2026-10-01', 30, 0.5), day('2026-10-02', 10, 0.1), day('2026-11-01', 0, null)],
      'dossiers.onlineRate',
    )
    expect(months).toEqual([
      { key: '2026-10', value: 0.4 },
      { key: '2026-11', value: null },
    ])
  })
})
