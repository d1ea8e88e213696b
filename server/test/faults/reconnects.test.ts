import { describe, expect, it } from 'vitest'
import { reconnectsWithSince } from './cases/reconnects'

describe('reconnects with since while changes flow (docs/design.md §4)', () => {
  it('every client gets every change once, in order: 0 gaps, 0 duplicates, 0 out of order', async () => {
    const f = await reconnectsWithSince({ clients: 10, reconnects: 100, everyMs: 40 })
    expect(f.reconnects).toBe(100)
    expect(f.changes).toBeGreaterThan(0)
    expect(f.caughtUp).toBe(true)
    expect(f.delivery).toMatchObject({ gaps: 0, duplicates: 0, outOfOrder: 0, resyncs: 0 })
  }, 60_000)
})
