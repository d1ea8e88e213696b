import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { foldAll } from '../../src/kpi/fold'
import { getJson } from '../support/http'
import { startTestServer, type TestServer, testTokens } from '../support/test-server'
import { referenceKpis } from './reference'
import { incrementalAndRebuilt } from './rollup-check'
import { clearFeeds, dossier, survey, task, ticket, upsert } from './rows'

// The window is 1 March 2026 in Phan Thiết (UTC+7): [F, T).
const F = new Date('2026-03-01T00:00:00+07:00')
const T = new Date('2026-03-02T00:00:00+07:00')
const at = (base: Date, hours: number, ms = 0) =>
  new Date(base.getTime() + hours * 3_600_000 + ms).toISOString()
const clock = () => new Date('2026-03-01T10:00:00+07:00')

let server: TestServer
beforeAll(async () => {
  server = await startTestServer({}, { clock })
})
afterAll(() => server?.stop())
beforeEach(() => clearFeeds(server.db.sql))

const kpis = async (query = '', path = '') => {
  const res = await getJson(`${server.url}/api/v1/kpis${path}?${query}`, testTokens.display)
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return res.body
}
const window = `from=${encodeURIComponent(F.toISOString())}&to=${encodeURIComponent(T.toISOString())}`

async function seedTickets() {
  await upsert(server.db.sql, 'tickets', [
    ticket({ ref: 't1', received_at: at(F, 0), resolved_at: at(F, 0.5) }), // on the from edge
    ticket({ ref: 't2', received_at: at(T, 0) }), // on the to edge: not in the window
    ticket({ ref: 't3', received_at: at(F, 0, -1) }), // 1 ms before: open and overdue at to
    ticket({ ref: 't4', received_at: at(F, 1), status: 'rejected', updated_at: at(F, 2) }), // closed by rejection
    ticket({ ref: 't5', received_at: at(F, 1), due_at: at(F, 2) }), // overdue
    ticket({ ref: 't6', received_at: at(F, 1), due_at: at(F, 3), resolved_at: at(F, 3, 1000) }), // 1 s late
    ticket({ ref: 't7', received_at: at(F, 2), due_at: at(F, 4), resolved_at: at(F, 4) }), // exactly on due
    ticket({ ref: 't8', received_at: at(F, 3), due_at: at(T, 1), status: 'closed', closed_at: at(T, 0) }), // closed at to
    ticket({ ref: 't9', received_at: at(F, 4), due_at: at(T, 0) }), // due exactly at to: not overdue
    ticket({ ref: 't10', received_at: at(F, 5), ward_code: '22915', category: 'traffic', unit: 'police' }),
  ])
}

async function seedDossiers() {
  await upsert(server.db.sql, 'dossiers', [
    dossier({
      ref: 'd1',
      channel: 'online',
      received_at: at(F, 0),
      due_at: at(F, 10, -1000),
      finished_at: at(F, 10), // finished one second after its due time
      digitized_input: true,
      digitized_result: true,
      paid_online: true,
    }),
    dossier({
      ref: 'd2',
      received_at: at(F, 1),
      due_at: at(F, 5),
      finished_at: at(F, 5),
      paid_online: false,
    }),
    dossier({ ref: 'd3', received_at: at(F, -240), due_at: at(F, 1) }), // open, overdue, received long ago
    dossier({ ref: 'd4', channel: 'online', received_at: at(F, 2), due_at: at(T, 120) }), // open, not due
    dossier({ ref: 'd5', channel: 'postal', status: 'withdrawn', received_at: at(F, 3), due_at: at(F, 4) }),
    dossier({ ref: 'd6', status: 'done', received_at: at(F, 4), due_at: at(F, 5), finished_at: at(T, 0) }),
  ])
}

async function seedSurveysAndCatalog() {
  const sql = server.db.sql
  await upsert(sql, 'survey_answers', [
    survey({ ref: 's1', submitted_at: at(F, 0), score: 5 }),
    survey({ ref: 's2', submitted_at: at(T, 0), score: 1 }),
    survey({ ref: 's3', submitted_at: at(T, 0, -1), score: 3 }),
    survey({ ref: 's4', submitted_at: at(F, 6), score: 4, ward_code: '22915' }),
  ])
  const procedure = (code: string, level: string, national: boolean) => ({
    source: 'test-source',
    ref: code,
    updated_at: '2026-01-01T00:00:00Z',
    code,
    name: `Thủ tục ${code}`,
    field: code === 'P4' ? 'Đất đai' : 'Hộ tịch',
    level,
    provincial_portal: true,
    national_portal: national,
    fee_bearing: false,
    content_hash: code,
  })
  await sql`insert into procedures ${sql([
    procedure('P1', 'full', true),
    procedure('P2', 'full', false),
    procedure('P3', 'partial', false),
    procedure('P4', 'none', false),
  ])}`
}

describe('KPI keys on hand-built data (docs/design.md §3)', () => {
  it('returns every key with zero counts and null rates for an empty window', async () => {
    const body = await kpis(window)
    expect(body.tickets).toEqual({
      received: 0,
      resolved: 0,
      resolvedOnTime: 0,
      onTimeRate: null,
      open: 0,
      overdue: 0,
      medianResolveMinutes: null,
    })
    expect(Object.values(body.dossiers).filter((v) => v !== 0 && v !== null)).toEqual([])
    expect(body.dossiers.progressRate).toBeNull()
    expect(body.procedures).toEqual({
      total: 0,
      fullOnline: 0,
      partialOnline: 0,
      nationalPortal: 0,
      onlineShare: null,
    })
    expect(body.satisfaction).toEqual({ responses: 0, rate: null, avgScore: null })
    expect(body.tasks).toEqual({ issued: 0, done: 0, doneOnTime: 0, onTimeRate: null, open: 0, overdue: 0 })
    expect(body.score766.total).toBeNull()
  })

  it('counts tickets on the window edges, rejections, late and on-due resolutions', async () => {
    await seedTickets()
    const body = await kpis(window)
    expect(body.tickets).toMatchObject({
      received: 8,
      resolved: 3,
      resolvedOnTime: 2,
      onTimeRate: 2 / 3,
      open: 5,
      overdue: 3,
    })
    // Exact median is 120 minutes; the histogram's stated error is 1%.
    expect(Math.abs(body.tickets.medianResolveMinutes - 120)).toBeLessThanOrEqual(1.2)

    const ward = await kpis(`${window}&ward=22930`)
    expect(ward.tickets).toMatchObject({ received: 7, open: 4, overdue: 2 })
    const waste = await kpis(`${window}&category=waste`)
    expect(waste.tickets).toMatchObject({ received: 7, open: 4, overdue: 2 })
    const police = await kpis(`${window}&unit=police`)
    expect(police.tickets).toMatchObject({ received: 1, open: 1, overdue: 1, resolved: 0, onTimeRate: null })
  })

  it('counts dossiers: one second late, on due, withdrawn, finished exactly at `to`', async () => {
    await seedDossiers()
    const { dossiers } = await kpis(window)
    expect(dossiers).toEqual({
      received: 5,
      onlineRate: 2 / 5,
      finished: 2,
      onTimeRate: 1 / 2,
      progressRate: 2 / 5,
      open: 3,
      overdueOpen: 2,
      avgProcessingDays: 7 / 24,
      digitizedInputRate: 1 / 5,
      digitizedResultRate: 1 / 2,
      onlinePaymentRate: 1 / 2,
    })
  })

  it('counts survey answers on the edges, the catalog now, and scores them QĐ 766-style', async () => {
    await seedDossiers()
    await seedSurveysAndCatalog()
    const body = await kpis(window)
    expect(body.satisfaction).toEqual({ responses: 3, rate: 2 / 3, avgScore: 4 })
    expect(body.procedures).toEqual({
      total: 4,
      fullOnline: 2,
      partialOnline: 1,
      nationalPortal: 1,
      onlineShare: 3 / 4,
    })
    const ward = await kpis(`${window}&ward=22930`)
    expect(ward.satisfaction).toEqual({ responses: 2, rate: 1 / 2, avgScore: 4 })

    const s = body.score766
    expect(s.progress).toMatchObject({ points: 8, max: 20, rate: 0.4 })
    expect(s.onlineService.points).toBeCloseTo(11 * (0.75 / 0.8) + 11 * (0.4 / 0.5), 10)
    expect(s.digitisation.points).toBeCloseTo(11 * (0.2 / 0.8) + 11 * (0.5 / 0.8), 10)
    expect(s.satisfaction.points).toBeCloseTo(18 * (2 / 3 / 0.9), 10)
    expect(s.publicity).toBeNull()
    expect(s.max).toBe(82)
    expect(s.total).toBeCloseTo(
      s.progress.points + s.onlineService.points + s.digitisation.points + s.satisfaction.points,
      10,
    )
  })

  it('counts tasks: issued on `from`, done on due, cancelled, done exactly at `to`, a re-versioned unit', async () => {
    const sql = server.db.sql
    await upsert(sql, 'tasks', [
      task({ ref: 'k1', unit: 'u1', issued_at: at(F, 0), due_at: at(F, 8), done_at: at(F, 8) }), // done on due
      task({ ref: 'k2', unit: 'u1', issued_at: at(F, 0, -1), due_at: at(F, 1) }), // before the window: open, overdue
      task({ ref: 'k3', unit: 'u1', issued_at: at(F, 1), due_at: at(F, 2), status: 'cancelled' }), // never open
      task({ ref: 'k4', unit: 'u1', issued_at: at(F, 2), due_at: at(F, 3), done_at: at(T, 0) }), // done at `to`
      task({ ref: 'k5', unit: 'u1', issued_at: at(T, 0) }), // issued at `to`: not in the window
      task({ ref: 'k6', unit: 'u1', issued_at: at(F, 3), due_at: at(F, 4), done_at: at(F, 4, 1000) }), // 1 s late
      task({ ref: 'k7', unit: 'u1', issued_at: at(F, 4), due_at: at(T, 0), status: 'in_progress' }), // due at `to`
      task({ ref: 'k8', unit: 'u2', ward_code: '22915', issued_at: at(F, 5), due_at: at(F, 6) }),
    ])
    const body = await kpis(window)
    expect(body.tasks).toEqual({ issued: 6, done: 2, doneOnTime: 1, onTimeRate: 1 / 2, open: 4, overdue: 3 })
    expect((await kpis(`${window}&unit=u1`)).tasks).toMatchObject({ issued: 5, open: 3, overdue: 2 })
    expect((await kpis(`${window}&unit=u2`)).tasks).toMatchObject({ issued: 1, open: 1, overdue: 1 })
    expect((await kpis(`${window}&ward=22915`)).tasks).toMatchObject({ issued: 1, open: 1, overdue: 1 })
    // Category filters tickets only: tasks stay whole.
    expect((await kpis(`${window}&category=waste`)).tasks).toEqual(body.tasks)

    // u2 keeps (zeroed) rollup rows once k8 moves away, so the breakdown below lists it whenever
    // the server's folder runs; folded together with the move, its events would leave no row.
    await foldAll(sql)
    // A new version moves k8 to another unit; k2 is cancelled; a stale version of k3 is ignored.
    await upsert(sql, 'tasks', [
      task({
        ref: 'k8',
        unit: 'u3',
        ward_code: '22915',
        issued_at: at(F, 5),
        due_at: at(F, 6),
        updated_at: at(T, 1),
      }),
      task({
        ref: 'k2',
        unit: 'u1',
        issued_at: at(F, 0, -1),
        due_at: at(F, 1),
        status: 'cancelled',
        updated_at: at(T, 1),
      }),
      task({
        ref: 'k3',
        unit: 'u1',
        issued_at: at(F, 1),
        due_at: at(F, 2),
        updated_at: '2025-01-01T00:00:00Z',
      }),
    ])
    expect((await kpis(window)).tasks).toMatchObject({ issued: 6, open: 3, overdue: 2 })
    expect((await kpis(`${window}&unit=u2`)).tasks).toEqual({
      issued: 0,
      done: 0,
      doneOnTime: 0,
      onTimeRate: null,
      open: 0,
      overdue: 0,
    })
    expect((await kpis(`${window}&unit=u3`)).tasks).toMatchObject({ issued: 1, open: 1, overdue: 1 })
    const byUnit = await kpis(`${window}&by=unit`, '/breakdown')
    const groups = new Map(byUnit.groups.map((g: { key: string; kpis: unknown }) => [g.key, g.kpis]))
    for (const unit of ['u1', 'u2', 'u3']) {
      const { window: _w, filters: _f, score766: _s, ...single } = await kpis(`${window}&unit=${unit}`)
      expect(groups.get(unit), unit).toEqual(single)
      const reference = await referenceKpis(sql, F, T, { unit })
      expect((groups.get(unit) as { tasks: unknown }).tasks, unit).toEqual(reference.tasks)
    }
    const cases: Array<Record<string, string>> = [{}, { unit: 'u1' }, { ward: '22915' }]
    for (const filters of cases) {
      const api = await kpis(`${window}&${new URLSearchParams(filters)}`)
      expect(api.tasks).toEqual((await referenceKpis(sql, F, T, filters)).tasks)
    }
    const { incremental, rebuilt } = await incrementalAndRebuilt(sql)
    expect(incremental).toEqual(rebuilt)
    expect(incremental.tasks.length).toBeGreaterThan(0)
  })

  it('equals the raw-SQL reference and a rebuild after updates, including stale ones', async () => {
    const sql = server.db.sql
    await seedTickets()
    await seedDossiers()
    await seedSurveysAndCatalog()
    // A stale update (older updatedAt) is ignored; a newer one resolves t5 and finishes d4.
    await upsert(sql, 'tickets', [
      ticket({
        ref: 't5',
        received_at: at(F, 1),
        due_at: at(F, 2),
        resolved_at: at(F, 1.5),
        updated_at: '2025-01-01T00:00:00Z',
      }),
    ])
    expect((await kpis(window)).tickets.open).toBe(5)
    await upsert(sql, 'tickets', [
      ticket({
        ref: 't5',
        received_at: at(F, 1),
        due_at: at(F, 2),
        resolved_at: at(F, 1.5),
        updated_at: '2026-06-01T00:00:00Z',
      }),
    ])
    await upsert(sql, 'dossiers', [
      dossier({
        ref: 'd4',
        channel: 'online',
        received_at: at(F, 2),
        due_at: at(T, 120),
        finished_at: at(F, 6),
        updated_at: '2026-06-01T00:00:00Z',
      }),
    ])
    await sql`delete from survey_answers where ref = 's1'`
    const body = await kpis(window)
    expect(body.tickets).toMatchObject({ open: 4, overdue: 2, resolved: 4, resolvedOnTime: 3 })
    const cases: Array<Record<string, string>> = [
      {},
      { ward: '22930' },
      { unit: 'police' },
      { category: 'waste' },
    ]
    for (const filters of cases) {
      const query = new URLSearchParams(filters).toString()
      const api = await kpis(`${window}&${query}`)
      const reference = await referenceKpis(sql, F, T, filters)
      expect(api.dossiers).toEqual(reference.dossiers)
      expect(api.satisfaction).toEqual(reference.satisfaction)
      expect(api.procedures).toEqual(reference.procedures)
      const { medianResolveMinutes, ...counts } = api.tickets
      const { medianResolveMinutes: exactMedian, ...exactCounts } = reference.tickets
      expect(counts).toEqual(exactCounts)
      expect(Math.abs(medianResolveMinutes - exactMedian!)).toBeLessThanOrEqual(
        0.0101 * exactMedian! + 1 / 60,
      )
    }
    const { incremental, rebuilt } = await incrementalAndRebuilt(sql)
    expect(incremental).toEqual(rebuilt)
  })

  it('defaults to today so far in the city time zone and puts 23:30 local on its local day', async () => {
    await upsert(server.db.sql, 'tickets', [
      ticket({ ref: 'morning', received_at: '2026-03-01T07:00:00+07:00' }),
      ticket({ ref: 'late', received_at: '2026-03-01T23:30:00+07:00' }),
      ticket({ ref: 'early', received_at: '2026-03-02T00:00:00+07:00' }),
    ])
    // Without from/to the window is [local midnight, now): open and overdue describe the city now.
    const today = await kpis()
    expect(today.window).toEqual({ from: F.toISOString(), to: clock().toISOString() })
    expect(today.tickets.received).toBe(1)
    const wholeDay = await kpis(`from=2026-03-01T00:00:00%2B07:00&to=2026-03-02T00:00:00%2B07:00`)
    expect(wholeDay.tickets.received).toBe(2)
    const days = await kpis(
      `from=2026-03-01T00:00:00%2B07:00&to=2026-03-03T00:00:00%2B07:00&by=day`,
      '/breakdown',
    )
    expect(
      days.groups.map((g: { key: string; kpis: { tickets: { received: number } } }) => [
        g.key,
        g.kpis.tickets.received,
      ]),
    ).toEqual([
      ['2026-03-01', 2],
      ['2026-03-02', 1],
    ])
    const hours = await kpis(
      `from=2026-03-01T22:00:00%2B07:00&to=2026-03-02T01:00:00%2B07:00&by=hour`,
      '/breakdown',
    )
    expect(
      hours.groups.map((g: { key: string; kpis: { tickets: { received: number; open: number } } }) => [
        g.key,
        g.kpis.tickets.received,
        g.kpis.tickets.open,
      ]),
    ).toEqual([
      // The morning ticket is still open all evening.
      ['2026-03-01T22', 0, 1],
      ['2026-03-01T23', 1, 2],
      ['2026-03-02T00', 1, 3],
    ])
  })
})
