import { describe, expect, it } from 'vitest'
import { stalledClient } from './cases/stalled-client'

describe('a client that stops reading under large items (LIVE_MAX_QUEUED_BYTES)', () => {
  it('costs the server a bounded amount of memory; the client resyncs to a consistent state', async () => {
    const f = await stalledClient({ items: 6000, itemBytes: 3000, maxQueuedBytes: 262_144 })
    // Unbounded, the server would hold every frame for it: about the bytes ingested, again.
    expect(f.heapPeakMb - f.heapBeforeMb).toBeLessThan(f.ingestedMb / 2)
    expect(f.rssPeakMb - f.rssBeforeMb).toBeLessThan(f.ingestedMb / 2)
    expect(f.receivedBeforeResync).toBeLessThan(6000)
    expect(f.resyncs).toBe(1)
    expect(f).toMatchObject({
      gapsAfterResync: 0,
      duplicatesAfterResync: 0,
      outOfOrderAfterResync: 0,
      readerGaps: 0,
    })
  }, 60_000)
})
