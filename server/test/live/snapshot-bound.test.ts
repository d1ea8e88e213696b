import { snapshotTicketCap } from '@citydeck/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer, testTokens } from '../support/test-server'
import { connected, connectLive, ingest, type Recorder, ticket, until, wards } from './support'

// A backlog far beyond what a screen shows (a CSV import of open history): the snapshot must
// stay the same size, and its counts must be the database's, not the listed tickets'.
const backlog = 20_000
const batch = 2_000
const overdueEvery = 4 // every 4th ticket is past its deadline
const hour = 3_600_000

let server: TestServer
const open: Recorder[] = []

beforeAll(async () => {
  server = await startTestServer({ INGEST_RATE_LIMIT: '100000' })
  const start = Date.now()
  for (let from = 0; from < backlog; from += batch) {
    const items = Array.from({ length: batch }, (_, k) => {
      const i = from + k
      const overdue = i % overdueEvery === 0
      return ticket(`bl-${i}`, {
        // A third come without a ward: the server places them (or leaves them out of every ward).
        wardCode: i % 3 === 0 ? wards.hamTien : i % 3 === 1 ? wards.muiNe : undefined,
        // A long description, as imported history has: the snapshot leaves it to the API.
        description: `Tồn đọng từ dữ liệu nhập ${i}, chưa xử lý. `.repeat(40),
        address: `${i} Nguyễn Đình Chiểu, Hàm Tiến`,
        dueAt: new Date(start + (overdue ? -1 : 1) * (hour + i * 1000)).toISOString(),
      })
    })
    await ingest(server.url, items)
  }
}, 120_000)
afterAll(async () => {
  for (const r of open) r.close()
  await server?.stop()
})

const subscribed = async (token: string, scope: { ward?: string } = {}) => {
  const r = connectLive(server.url, { token })
  open.push(r)
  await connected(r)
  expect((await r.subscribe({ scope })).ok).toBe(true)
  return r
}

/** Open/overdue per ward straight from the tickets table. */
async function databaseCounts() {
  const rows = await server.db.sql<{ ward: string | null; open: number; overdue: number }[]>`
    select ward_code as ward, count(*)::int as open, count(*) filter (where due_at < now())::int as overdue
    from tickets where closed_effective_at is null and status <> 'rejected' group by ward_code`
  return rows
}

describe('a bounded snapshot', () => {
  it(`carries at most ${snapshotTicketCap} tickets, the most urgent, under 256 KB, with exact counts`, async () => {
    for (const token of [testTokens.display, testTokens.leader]) {
      const r = await subscribed(token)
      const snapshot = r.snapshots[0]!
      const bytes = Buffer.byteLength(JSON.stringify(snapshot))
      expect(bytes).toBeLessThan(256 * 1024)
      expect(snapshot.openTickets.every((t) => t.description === undefined)).toBe(true)
      expect(snapshot.openTickets).toHaveLength(snapshotTicketCap)
      // Soonest deadline first: the most overdue of the backlog leads.
      const dues = snapshot.openTickets.map((t) => t.dueAt)
      expect(dues).toEqual([...dues].sort())
      expect(snapshot.openTickets[0]!.ref).toBe(`bl-${backlog - overdueEvery}`)

      const db = await databaseCounts()
      const third = Math.floor((backlog - 1) / 3) + 1
      expect(snapshot.open.total).toEqual({ open: backlog, overdue: backlog / overdueEvery })
      expect(snapshot.open.total.open).toBe(db.reduce((n, w) => n + w.open, 0))
      expect(snapshot.open.byWard[wards.hamTien]?.open).toBe(third)
      const byWard = Object.fromEntries(
        db.filter((w) => w.ward).map((w) => [w.ward, { open: w.open, overdue: w.overdue }]),
      )
      expect(snapshot.open.byWard).toEqual(byWard)
      // Personal data stays out of a display's snapshot (shared/src/redact.ts).
      const reporter = snapshot.openTickets[0]!.reporter
      if (token === testTokens.display) expect(reporter).toBeUndefined()
      else expect(reporter).toMatchObject({ name: 'Nguyễn Văn Báo' })
    }
  })

  it("keeps a ward's count live: a KPI frame after a change carries the new exact count", async () => {
    const r = await subscribed(testTokens.display)
    const before = r.snapshots[0]!.open.byWard[wards.hamTien]!.open
    // A new ticket due far away (never in the capped list) and the closing of an unlisted one.
    await ingest(server.url, [
      ticket('bl-new', { wardCode: wards.hamTien, dueAt: new Date(Date.now() + 300 * hour).toISOString() }),
    ])
    await until(
      () => r.kpis.some((f) => f.open.byWard[wards.hamTien]?.open === before + 1),
      'a frame with the new ticket counted',
    )
    await ingest(server.url, [
      ticket('bl-19998', {
        wardCode: wards.hamTien,
        status: 'resolved',
        resolvedAt: new Date().toISOString(),
      }),
    ])
    await until(
      () => r.kpis.some((f) => f.open.byWard[wards.hamTien]?.open === before),
      'a frame with the closed ticket uncounted',
    )
    const ward = await subscribed(testTokens.display, { ward: wards.hamTien })
    expect(ward.snapshots[0]!.open.total.open).toBe(before)
    expect(Object.keys(ward.snapshots[0]!.open.byWard)).toEqual([wards.hamTien])
  })
})
