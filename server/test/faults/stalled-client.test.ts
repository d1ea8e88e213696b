import { describe, expect, it } from 'vitest'
import { stalledClient } from './cases/stalled-client'

describe('a client that stops reading under large items (LIVE_MAX_QUEUED_BYTES)', () => {
  it('costs the server a bounded amount of memory; the client resyncs to a consistent state', async () => {
    const f = await stalledClient({ items: 4000, itemBytes: 3000, maxQueuedBytes: 1024 * 1024 })
    // Unbounded, the server would keep every frame for it: about the bytes ingested (the full
    // run's control shows it). Bounded, it keeps at most 1 MB, whatever was ingested.
    // (RSS is reported, not held to it: the allocator keeps pages that ingest used.)
    expect(f.heapHeldMb - f.heapBeforeMb).toBeLessThan(f.ingestedMb / 2)
    expect(f.receivedBeforeResync).toBeLessThan(4000)
    // Dropped to resync (or, stalled past the ping timeout on a slow machine, disconnected).
    expect(f.resyncs + f.disconnects).toBeGreaterThanOrEqual(1)
    expect(f).toMatchObject({
      gapsAfterResync: 0,
      duplicatesAfterResync: 0,
      outOfOrderAfterResync: 0,
      readerGaps: 0,
    })
  }, 60_000)
})
