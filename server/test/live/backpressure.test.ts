import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer, testTokens } from '../support/test-server'
import { assertInOrderOnce, connected, connectLive, ingest, type Recorder, ticket, until } from './support'

let server: TestServer
const open: Recorder[] = []
beforeAll(async () => {
  server = await startTestServer({ INGEST_RATE_LIMIT: '100000', LIVE_MAX_QUEUED_BYTES: '262144' })
})
afterAll(async () => {
  for (const r of open) r.close()
  await server?.stop()
})

/** The TCP socket under a Node socket.io client's WebSocket: pausing it makes a slow reader. */
function tcpOf(r: Recorder): { pause: () => void; resume: () => void } {
  const transport = (r.socket.io.engine as unknown as { transport: { ws: { _socket: never } } }).transport
  return transport.ws._socket
}

describe('backpressure', () => {
  it('a client that stops reading is dropped to snapshot-resync mode instead of queueing without bound', async () => {
    const slow = connectLive(server.url, { token: testTokens.display })
    const fast = connectLive(server.url, { token: testTokens.display })
    open.push(slow, fast)
    await Promise.all([connected(slow), connected(fast)])
    await slow.subscribe({ scope: {} })
    await fast.subscribe({ scope: {} })

    tcpOf(slow).pause()
    const description = 'x'.repeat(9_000)
    const rounds = 30
    for (let i = 0; i < rounds; i++) {
      await ingest(
        server.url,
        Array.from({ length: 100 }, (_, j) => ticket(`bp-${i}-${j}`, { description })),
      )
    }
    // A reader that keeps up gets everything in the meantime.
    await until(() => fast.changes.length === rounds * 100, 'every change at the fast client')
    tcpOf(slow).resume()

    await until(() => slow.snapshots.some((s) => s.resync), 'the resync snapshot')
    const resync = slow.snapshots.find((s) => s.resync)!
    const before = slow.changes.filter((c) => c.seq <= resync.seq)
    expect(before.length).toBeLessThan(rounds * 100)
    await ingest(server.url, [ticket('bp-after')])
    await until(() => slow.changes.some((c) => c.id.endsWith(':bp-after')), 'live again after the resync')
    assertInOrderOnce(slow.changes.filter((c) => c.seq > resync.seq))
    assertInOrderOnce(before)
  }, 90_000)
})
