import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer, testTokens } from '../support/test-server'
import { connected, connectLive, ingest, type Recorder, ticket, until, wards } from './support'

let server: TestServer
const open: Recorder[] = []
const client = async (scope: { ward?: string } = {}) => {
  const r = connectLive(server.url, { token: testTokens.display })
  open.push(r)
  await connected(r)
  await r.subscribe({ scope })
  return r
}

beforeAll(async () => {
  server = await startTestServer({ INGEST_RATE_LIMIT: '100000' })
})
afterAll(async () => {
  for (const r of open) r.close()
  await server?.stop()
})

const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString()

describe('SLA alerts', () => {
  it('raises ticket_overdue when the deadline passes, stores it, and resolves it when the ticket closes', async () => {
    const city = await client()
    const ward = await client({ ward: wards.muiNe })
    const otherWard = await client({ ward: wards.hamTien })
    await ingest(server.url, [ticket('sla-1', { dueAt: inSeconds(1.2) })])
    // A later update moves the deadline: the timer is rescheduled, not doubled.
    await ingest(server.url, [ticket('sla-1', { dueAt: inSeconds(1.5), updatedAt: inSeconds(0.1) })])
    await until(() => city.alerts.length >= 1 && ward.alerts.length >= 1, 'the overdue alert')
    expect(city.alerts[0]).toMatchObject({
      kind: 'ticket_overdue',
      id: 'test-source:sla-1',
      wardCode: wards.muiNe,
      title: 'Rác tồn đọng sla-1',
    })
    expect(otherWard.alerts).toEqual([])

    // A wall that connects later sees the current alert in its snapshot.
    const later = await client()
    expect(later.snapshots[0]!.alerts.map((a) => a.id)).toEqual(['test-source:sla-1'])

    const resolvedAt = new Date().toISOString()
    await ingest(server.url, [
      ticket('sla-1', {
        status: 'resolved',
        resolvedAt,
        dueAt: city.alerts[0]!.dueAt,
        updatedAt: inSeconds(1),
      }),
    ])
    await until(() => city.alerts.some((a) => a.kind === 'resolved'), 'the resolved alert')
    expect(city.alerts.at(-1)).toMatchObject({
      kind: 'resolved',
      resolves: 'ticket_overdue',
      id: 'test-source:sla-1',
    })
    expect(city.alerts.filter((a) => a.kind === 'ticket_overdue')).toHaveLength(1)
    const [row] = await server.db.sql`select count(*)::int as n from alerts where resolved_at is null`
    expect(row!.n).toBe(0)
    const last = await client()
    expect(last.snapshots[0]!.alerts).toEqual([])
  })

  it('a ticket that arrives already overdue alerts at once; a closed one never does', async () => {
    const city = await client()
    await ingest(server.url, [
      ticket('late-1', { dueAt: inSeconds(-60), receivedAt: inSeconds(-3600) }),
      ticket('late-2', {
        dueAt: inSeconds(-60),
        receivedAt: inSeconds(-3600),
        status: 'closed',
        closedAt: inSeconds(-120),
      }),
    ])
    await until(() => city.alerts.some((a) => a.id === 'test-source:late-1'), 'the late alert')
    await ingest(server.url, [ticket('marker')])
    await until(() => city.changes.some((c) => c.id === 'test-source:marker'), 'a later change')
    expect(city.alerts.map((a) => a.id)).not.toContain('test-source:late-2')
  })

  it('raises dossier_overdue', async () => {
    const city = await client()
    await ingest(
      server.url,
      [
        {
          source: 'test-source',
          ref: 'd-1',
          updatedAt: new Date().toISOString(),
          procedureCode: '1.001',
          channel: 'online',
          status: 'processing',
          receivedAt: inSeconds(-86400),
          dueAt: inSeconds(0.5),
          wardCode: wards.muiNe,
        },
      ],
      'dossiers',
    )
    await until(() => city.alerts.some((a) => a.kind === 'dossier_overdue'), 'the dossier alert')
    expect(city.alerts.find((a) => a.kind === 'dossier_overdue')).toMatchObject({ id: 'test-source:d-1' })
  })
})
