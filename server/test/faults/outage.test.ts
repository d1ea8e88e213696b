import { describe, expect, it } from 'vitest'
import { databaseOutage } from './cases/outage'

describe('the database stops for a while (docs/design.md §11)', () => {
  it('the server stays up, answers 503 quickly, and ingest and live resume with no gap', async () => {
    const f = await databaseOutage({ clients: 5, downMs: 5000 })
    expect(f.survived).toBe(true)
    expect(f.unanswered).toBe(0)
    expect(f.wrongAnswers).toBe(0)
    // Only 503 database_unavailable (with Retry-After) while it is away.
    expect(Object.keys(f.whileDown).sort()).toEqual([
      'ingest 503 database_unavailable',
      'kpis 503 database_unavailable',
    ])
    // The contract's bounds (2 s, 1 s, 10 s), with room for a busy 2-core machine's scheduling.
    expect(f.slowest503Ms).toBeLessThan(2500)
    expect(f.slowestHealthMs).toBeLessThan(1500)
    expect(f.healthWhileDown).toEqual({ 503: expect.any(Number) })
    expect(f.ingestRecoveredSeconds).toBeLessThan(10)
    expect(f.liveRecoveredSeconds).toBeLessThan(10)
    expect(f.caughtUp).toBe(true)
    expect(f.delivery).toMatchObject({ gaps: 0, duplicates: 0, outOfOrder: 0, resyncs: 0 })
    expect(f.delivery.received).toBeGreaterThan(0)
  }, 60_000)
})
