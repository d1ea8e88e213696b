import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createPool, type Sql } from '../../src/db/connection'
import { computeKpis } from '../../src/kpi/compute'
import { foldAll, foldPending, startKpiFolder } from '../../src/kpi/fold'
import type { KpiFilters } from '../../src/kpi/rollup-reads.sql'
import { createTestDatabase, type TestDatabase } from '../support/test-database'
import { referenceKpis } from './reference'
import { incrementalAndRebuilt, rollupContents } from './rollup-check'
import { clearFeeds, dossier, survey, ticket, upsert } from './rows'

// Ingest only appends signed rows to kpi_*_pending; a folder moves their events into the rollups
// (kpi/sql/triggers.sql, fold.sql). KPI reads must be exact before, during and after a fold. No
// server here: nothing folds unless a test does.

let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(() => db?.drop())
beforeEach(async () => {
  await clearFeeds(db.sql)
  await foldAll(db.sql)
})

const day = 86_400_000
const base = Date.parse('2026-02-27T00:00:00+07:00')
const iso = (ms: number) => new Date(ms).toISOString()
const wards = ['22930', '22915', null] as const

/** A deterministic mix of items around the month boundary, so hour to year buckets all get events. */
function items(round: number, n: number) {
  const t = (i: number) => base + ((i * 7919 + round * 104_729) % (5 * day)) + (i % 3 === 0 ? 0 : 1)
  return {
    tickets: Array.from({ length: n }, (_, i) =>
      ticket({
        ref: `t${i}`,
        ward_code: wards[i % 3]!,
        unit: i % 2 ? 'u1' : null,
        category: i % 4 ? 'waste' : 'traffic',
        received_at: iso(t(i)),
        due_at: iso(t(i) + 8 * 3_600_000),
        resolved_at: (i + round) % 3 ? iso(t(i) + ((i * 37) % 20) * 3_600_000 + 1000) : null,
        status: (i + round) % 3 ? 'resolved' : (i + round) % 5 ? 'received' : 'rejected',
        updated_at: iso(Date.parse('2026-06-01T00:00:00Z') + round * 1000),
      }),
    ),
    dossiers: Array.from({ length: n }, (_, i) =>
      dossier({
        ref: `d${i}`,
        ward_code: wards[(i + 1) % 3]!,
        channel: i % 2 ? 'online' : 'direct',
        received_at: iso(t(i)),
        due_at: iso(t(i) + 2 * day),
        finished_at: (i + round) % 2 ? iso(t(i) + ((i * 13) % 72) * 3_600_000) : null,
        status: (i + round) % 2 ? 'done' : (i + round) % 7 ? 'processing' : 'withdrawn',
        digitized_input: i % 3 === 0,
        digitized_result: i % 5 === 0,
        paid_online: i % 4 ? null : i % 8 === 0,
        updated_at: iso(Date.parse('2026-06-01T00:00:00Z') + round * 1000),
      }),
    ),
    surveys: Array.from({ length: n }, (_, i) =>
      survey({
        ref: `s${i}`,
        ward_code: wards[i % 3]!,
        submitted_at: iso(t(i)),
        score: 1 + ((i + round) % 5),
        updated_at: iso(Date.parse('2026-06-01T00:00:00Z') + round * 1000),
      }),
    ),
  }
}

/** Round 0 creates, later rounds update every item (and delete a few): all through the triggers. */
async function ingest(sql: Sql, round: number, n = 60) {
  const { tickets, dossiers, surveys } = items(round, n)
  await upsert(sql, 'tickets', tickets)
  await upsert(sql, 'dossiers', dossiers)
  await upsert(sql, 'survey_answers', surveys)
  if (round > 0) {
    await sql`delete from tickets where ref = ${`t${round}`}`
    await sql`delete from dossiers where ref = ${`d${round}`}`
    await sql`delete from survey_answers where ref = ${`s${round}`}`
  }
}

const cases: Array<{ from: number; to: number; filters: KpiFilters }> = [
  { from: base, to: base + 5 * day, filters: {} },
  { from: base + day, to: base + 3 * day, filters: { ward: '22930' } },
  { from: base + 2 * day + 3_600_000, to: base + 2 * day + 5 * 3_600_000 + 17, filters: {} },
  { from: base - 400 * day, to: base + 4 * day, filters: { ward: '22915', unit: 'u1' } },
  { from: base + 1000, to: base + 4 * day, filters: { category: 'traffic' } },
]

/** computeKpis over several windows and filters equals the raw-SQL reference (median within its bound). */
async function expectExact(sql: Sql, label: string) {
  for (const c of cases) {
    const [api] = await computeKpis(sql, [{ from: new Date(c.from), to: new Date(c.to) }], c.filters)
    const reference = await referenceKpis(sql, new Date(c.from), new Date(c.to), c.filters)
    const context = `${label}: ${iso(c.from)}..${iso(c.to)} ${JSON.stringify(c.filters)}`
    const { medianResolveMinutes: median, ...tickets } = api!.tickets
    const { medianResolveMinutes: exact, ...exactTickets } = reference.tickets
    expect(tickets, context).toEqual(exactTickets)
    if (exact === null) expect(median, context).toBeNull()
    else expect(Math.abs(median! - exact), context).toBeLessThanOrEqual(0.0101 * Math.abs(exact) + 1 / 60)
    expect(api!.dossiers, context).toEqual(reference.dossiers)
    expect(api!.satisfaction, context).toEqual(reference.satisfaction)
  }
}

async function pendingCount(sql: Sql) {
  const [row] = await sql<[{ n: number }]>`
    select (select count(*) from kpi_ticket_pending) + (select count(*) from kpi_dossier_pending)
         + (select count(*) from kpi_survey_pending) as n`
  return Number(row.n)
}

describe('KPI pending events and the fold', () => {
  it('are exact with every change pending, after a fold, and with new changes on top', async () => {
    const sql = db.sql
    await ingest(sql, 0)
    await ingest(sql, 1)
    // Nothing folded yet: the rollups are empty and every event is pending.
    const empty = await rollupContents(sql)
    expect(Object.values(empty).every((rows) => rows.length === 0)).toBe(true)
    expect(await pendingCount(sql)).toBeGreaterThan(0)
    await expectExact(sql, 'all pending')

    expect(await foldAll(sql)).toBeGreaterThan(0)
    expect(await pendingCount(sql)).toBe(0)
    await expectExact(sql, 'all folded')

    await ingest(sql, 2)
    expect(await pendingCount(sql)).toBeGreaterThan(0)
    await expectExact(sql, 'folded plus pending')

    const { incremental, rebuilt } = await incrementalAndRebuilt(sql)
    expect(incremental).toEqual(rebuilt)
    await expectExact(sql, 'rebuilt')
  })

  it('an update that changes no event time appends nothing', async () => {
    const sql = db.sql
    await upsert(sql, 'tickets', [ticket({ ref: 'x', received_at: iso(base), updated_at: iso(base) })])
    await foldAll(sql)
    // A new title and version: same times, ward, unit and category, so every event cancels.
    await sql`update tickets set title = 'renamed', updated_at = ${iso(base + 1000)} where ref = 'x'`
    expect(await pendingCount(sql)).toBe(0)
    await expectExact(sql, 'no-op update')
  })

  it('a rebuild with events pending drops them and stays exact', async () => {
    const sql = db.sql
    await ingest(sql, 0)
    await foldAll(sql)
    await ingest(sql, 1)
    expect(await pendingCount(sql)).toBeGreaterThan(0)
    await sql`select kpi_rebuild_rollups()`
    expect(await pendingCount(sql)).toBe(0)
    await expectExact(sql, 'rebuilt with pending')
  })

  it('reads racing an uncommitted, then committing fold stay exact', async () => {
    const sql = db.sql
    for (let round = 0; round < 3; round++) {
      await ingest(sql, round)
      const pending = await pendingCount(sql)
      expect(pending).toBeGreaterThan(0)
      const folder = await sql.reserve()
      try {
        await folder`begin`
        const [{ folded }] = await folder<[{ folded: number }]>`select kpi_fold_pending() as folded`
        expect(folded).toBe(pending)
        // The fold has moved every event but not committed: readers still see them pending.
        await expectExact(sql, `round ${round}, fold in flight`)
        // Reads started before, during and after the commit.
        const reads = Promise.all([1, 2, 3].map(() => expectExact(sql, `round ${round}, racing the commit`)))
        await folder`commit`
        await reads
      } finally {
        folder.release()
      }
      expect(await pendingCount(sql)).toBe(0)
      await expectExact(sql, `round ${round}, after the fold`)
    }
    const { incremental, rebuilt } = await incrementalAndRebuilt(sql)
    expect(incremental).toEqual(rebuilt)
  })

  it('folds from two processes never apply an event twice', async () => {
    const sql = db.sql
    const other = createPool(db.url, { max: 2 }) // a second server process's pool
    try {
      await ingest(sql, 0)
      const pending = await pendingCount(sql)
      // Process A folds and holds its transaction open; B does not wait, B-with-wait waits.
      const a = await sql.reserve()
      try {
        await a`begin`
        const [{ folded }] = await a<[{ folded: number }]>`select kpi_fold_pending() as folded`
        expect(folded).toBe(pending)
        expect(await foldPending(other)).toBe(0)
        const waiting = foldPending(other, { wait: true })
        await a`commit`
        // B got the lock after A committed and found the events gone.
        expect(await waiting).toBe(0)
      } finally {
        a.release()
      }
      await expectExact(sql, 'after A and B')

      // Both processes' folders running while items change: every event folded once.
      const folders = [startKpiFolder({ sql }, 5), startKpiFolder({ sql: other }, 5)]
      try {
        for (let round = 1; round < 6; round++) {
          await ingest(sql, round, 80)
          await Promise.all([foldPending(sql, { wait: true }), foldPending(other, { wait: true })])
        }
      } finally {
        await Promise.all(folders.map((f) => f.stop()))
      }
      await expectExact(sql, 'after two folders')
      const { incremental, rebuilt } = await incrementalAndRebuilt(sql)
      expect(incremental).toEqual(rebuilt)
    } finally {
      await other.end({ timeout: 5 })
    }
  })
})
