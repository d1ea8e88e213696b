import { describe, expect, it } from 'vitest'
import { killDuringIngest } from './cases/kill-ingest'

describe('kill -9 during ingest (docs/design.md §2, §11)', () => {
  it('loses no acknowledged item and leaves no batch half-written', async () => {
    const f = await killDuringIngest({
      rounds: 2,
      roundMs: 1000,
      batchWriters: 2,
      batchSize: 50,
      singleWriters: 2,
    })
    expect(f.acknowledgedBatches).toBeGreaterThan(0)
    expect(f.acknowledgedSingles).toBeGreaterThan(0)
    expect(f.lost).toBe(0)
    expect(f.partialBatches).toBe(0)
    expect(f.readBackThroughApi).toBeGreaterThan(0)
  }, 60_000)
})
