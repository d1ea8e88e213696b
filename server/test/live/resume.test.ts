import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer, testTokens } from '../support/test-server'
import { assertInOrderOnce, connected, connectLive, ingest, type Recorder, ticket, until } from './support'

let server: TestServer
const open: Recorder[] = []
const client = () => {
  const r = connectLive(server.url, { token: testTokens.leader })
  open.push(r)
  return r
}

beforeAll(async () => {
  server = await startTestServer({ INGEST_RATE_LIMIT: '100000' })
})
afterAll(async () => {
  for (const r of open) r.close()
  await server?.stop()
})

const batch = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ticket(`${prefix}-${i}`))

describe('resume with since', () => {
  it('after 1,000 changes while away: all arrive in order, once, then live continues without a gap', async () => {
    const first = client()
    await connected(first)
    await first.subscribe({ scope: {} })
    await ingest(server.url, batch('before', 5))
    await until(() => first.changes.length === 5, 'the first five changes')
    const since = first.lastSeq()
    first.close()

    for (let i = 0; i < 10; i++) await ingest(server.url, batch(`away${i}`, 100))

    const again = client()
    await connected(again)
    // Ingest while the replay runs: the seam between replay and live must have no gap or repeat.
    const [ack] = await Promise.all([
      again.subscribe({ scope: {}, since }),
      ingest(server.url, batch('seam', 50)),
    ])
    expect(ack.ok).toBe(true)
    await ingest(server.url, batch('after', 20))
    await until(() => again.changes.length >= 1070, '1,070 changes')
    expect(again.snapshots).toEqual([])
    assertInOrderOnce(again.changes)
    expect(again.changes).toHaveLength(1070)
    expect(again.changes[0]!.seq).toBe(since + 1)
    const ids = again.changes.map((c) => c.id)
    expect(new Set(ids).size).toBe(1070)
    expect(ids.filter((id) => id.includes(':away')).length).toBe(1000)
  })

  it('a resumed client gets one KPI frame counting what it missed, without waiting for another change', async () => {
    const away = client()
    const watcher = client()
    await Promise.all([connected(away), connected(watcher)])
    await away.subscribe({ scope: {} })
    await watcher.subscribe({ scope: {} })
    const since = away.lastSeq()
    const before = away.snapshots[0]!.kpis.tickets.received
    away.close()

    await ingest(server.url, batch('missed', 4))
    await until(() => watcher.changes.some((c) => c.id.endsWith(':missed-3')), 'the missed tickets')
    const lastSeq = watcher.lastSeq()
    // The frame for those changes went out while the resumer was away; it was lost with its socket.
    await until(() => watcher.kpis.some((k) => k.seq === lastSeq), 'the frame the resumer missed')

    const back = client()
    await connected(back)
    const ack = await back.subscribe({ scope: {}, since })
    expect(ack).toEqual({ ok: true, seq: lastSeq })
    expect(back.snapshots).toEqual([])
    await until(() => back.kpis.length > 0, 'a KPI frame after the resume')
    expect(back.kpis[0]!.seq).toBe(lastSeq)
    expect(back.kpis[0]!.scope).toEqual({})
    expect(back.kpis[0]!.kpis.tickets.received).toBe(before + 4)
  })

  it('a client gone longer than the retention gets a fresh snapshot flagged resync', async () => {
    const r = client()
    await connected(r)
    await r.subscribe({ scope: {} })
    await ingest(server.url, batch('old', 3))
    await until(() => r.changes.length === 3, 'three changes')
    const since = r.changes[0]!.seq - 1
    r.close()
    // What pruning does to rows past the retention (pruneChanges deletes the oldest first).
    await server.db.sql`delete from change_log where seq <= ${since + 1}`
    const back = client()
    await connected(back)
    const ack = await back.subscribe({ scope: {}, since })
    expect(ack.ok).toBe(true)
    expect(back.snapshots).toHaveLength(1)
    expect(back.snapshots[0]!.resync).toBe(true)
    expect(back.changes).toEqual([])
  })

  it('a since beyond anything stored gets a resync snapshot', async () => {
    const r = client()
    await connected(r)
    await r.subscribe({ scope: {}, since: 10_000_000 })
    expect(r.snapshots[0]?.resync).toBe(true)
  })
})
