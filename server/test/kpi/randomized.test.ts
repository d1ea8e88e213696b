import { unitScorecardSchema } from '@citydeck/shared'
import { uniformInt } from 'pure-rand/distribution/uniformInt'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openAggregates } from '../../src/kpi/open-counts'
import { getJson } from '../support/http'
import { startTestServer, type TestServer, testTokens } from '../support/test-server'
import { type Filters, referenceKpis, referenceScorecardUnits } from './reference'
import { incrementalAndRebuilt } from './rollup-check'
import { dossier, survey, task, ticket, upsert } from './rows'

// Random histories of creates, updates (resolve, close, reject, move, re-date), stale updates
// and deletes, then random windows and filters: the API must equal the raw-SQL reference.
const seed = Number(process.env.KPI_RANDOM_SEED ?? 20261128)
const rng = xoroshiro128plus(seed)
const int = (lo: number, hi: number) => uniformInt(rng, lo, hi)
const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!

const start = Date.parse('2025-11-01T00:00:00+07:00') // spans a year boundary
const span = 150 * 86_400_000
const wards = ['22930', '22915', '22918', null] as const
const units = ['u1', 'u2', null] as const
const categories = ['waste', 'traffic', 'lighting'] as const

/** A random instant, often exactly on (or 1 ms off) a local midnight or an hour boundary. */
function instant(): number {
  const raw = start + int(0, span)
  switch (int(0, 3)) {
    case 0:
      return raw
    case 1: {
      const hour = raw - (raw % 3_600_000)
      return hour + pick([0, 0, 1, -1])
    }
    default: {
      const localMidnight = raw - ((raw + 7 * 3_600_000) % 86_400_000)
      return localMidnight + pick([0, 0, 1, -1, 1000])
    }
  }
}
const iso = (ms: number) => new Date(ms).toISOString()
const after = (ms: number, maxHours: number) => ms + pick([0, 1000, int(0, maxHours * 3_600_000)])

let version = 0
const nextVersion = () => iso(Date.parse('2026-06-01T00:00:00Z') + ++version * 1000)

function randomTicket(ref: string) {
  const received = instant()
  const resolved = int(0, 2) === 0 ? null : after(received, 30)
  const rejected = !resolved && int(0, 6) === 0
  return ticket({
    ref,
    category: pick(categories),
    ward_code: pick(wards),
    unit: pick(units),
    received_at: iso(received),
    due_at: iso(after(received, 16)),
    resolved_at: resolved === null ? null : iso(resolved),
    closed_at: int(0, 4) === 0 ? iso(after(received, 40)) : null,
    status: rejected ? 'rejected' : resolved ? 'resolved' : pick(['received', 'assigned', 'in_progress']),
    updated_at: rejected ? iso(after(received, 20)) : nextVersion(),
  })
}

function randomDossier(ref: string) {
  const received = instant()
  const finished = int(0, 2) === 0 ? null : after(received, 24 * 20)
  return dossier({
    ref,
    channel: pick(['online', 'direct', 'postal']),
    status: finished
      ? pick(['done', 'returned', 'rejected'])
      : pick(['received', 'processing', 'supplement', 'withdrawn']),
    received_at: iso(received),
    due_at: iso(after(received, 24 * 15)),
    finished_at: finished === null ? null : iso(finished),
    unit: pick(units),
    ward_code: pick(wards),
    digitized_input: pick([true, false, null]),
    digitized_result: pick([true, false, null]),
    paid_online: pick([true, false, null]),
    updated_at: nextVersion(),
  })
}

const randomSurvey = (ref: string) =>
  survey({
    ref,
    submitted_at: iso(instant()),
    score: int(1, 5),
    unit: pick(units),
    ward_code: pick(wards),
    updated_at: nextVersion(),
  })

function randomTask(ref: string) {
  const issued = instant()
  const done = int(0, 2) === 0 ? null : after(issued, 30)
  return task({
    ref,
    unit: pick(['u1', 'u2', 'u3', 'ubnd-22930']),
    ward_code: pick(wards),
    issued_at: iso(issued),
    due_at: iso(after(issued, 16)),
    done_at: done === null ? null : iso(done),
    status: done ? 'done' : pick(['assigned', 'accepted', 'in_progress', 'cancelled']),
    updated_at: nextVersion(),
  })
}

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
  await randomHistory()
})
afterAll(() => server?.stop())

async function randomHistory() {
  const sql = server.db.sql
  const refs = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`)
  for (const batch of [refs('t', 120), refs('t', 240).slice(120)])
    await upsert(sql, 'tickets', batch.map(randomTicket))
  await upsert(sql, 'dossiers', refs('d', 200).map(randomDossier))
  await upsert(sql, 'survey_answers', refs('s', 120).map(randomSurvey))
  await upsert(sql, 'tasks', refs('k', 160).map(randomTask))
  // A unit with nothing but old overdue work: on every scorecard, with no item in most windows.
  await upsert(sql, 'tickets', [
    ticket({
      ref: 'backlog',
      unit: 'u-backlog',
      received_at: iso(start - 40 * 86_400_000),
      updated_at: nextVersion(),
    }),
  ])
  for (let round = 0; round < 6; round++) {
    // Updates: new versions of random items; some are stale (older updatedAt) and must be ignored.
    const touched = [...new Set(Array.from({ length: 40 }, () => int(0, 239)))]
    await upsert(
      sql,
      'tickets',
      touched.map((i) => {
        const row = randomTicket(`t${i}`)
        return int(0, 4) === 0 ? { ...row, updated_at: '2020-01-01T00:00:00Z' } : row
      }),
    )
    const dossiers = [...new Set(Array.from({ length: 40 }, () => int(0, 199)))]
    await upsert(
      sql,
      'dossiers',
      dossiers.map((i) => randomDossier(`d${i}`)),
    )
    const surveys = [...new Set(Array.from({ length: 20 }, () => int(0, 119)))]
    await upsert(
      sql,
      'survey_answers',
      surveys.map((i) => randomSurvey(`s${i}`)),
    )
    // Task reports: new versions (another unit, done, cancelled), some stale.
    const tasks = [...new Set(Array.from({ length: 30 }, () => int(0, 159)))]
    await upsert(
      sql,
      'tasks',
      tasks.map((i) => {
        const row = randomTask(`k${i}`)
        return int(0, 4) === 0 ? { ...row, updated_at: '2020-01-01T00:00:00Z' } : row
      }),
    )
    // Updates through plain UPDATE statements touching many rows at once.
    await sql`update tickets set status = 'rejected', updated_at = ${iso(instant())}
              where ref = ${`t${int(0, 239)}`} and resolved_at is null`
    await sql`update dossiers set finished_at = null, status = 'processing' where ref = ${`d${int(0, 199)}`}`
    await sql`delete from tickets where ref = ${`t${int(0, 239)}`}`
    await sql`delete from survey_answers where ref = ${`s${int(0, 119)}`}`
    await sql`update tasks set unit = ${pick(['u1', 'u2', 'u3', 'ubnd-22930'])} where ref = ${`k${int(0, 159)}`}`
    await sql`delete from tasks where ref = ${`k${int(0, 159)}`}`
  }
}

function randomFilters(): Filters {
  const f: Filters = {}
  if (int(0, 2) === 0) f.ward = pick(['22930', '22915', '22918'])
  if (int(0, 3) === 0) f.unit = pick(['u1', 'u2', 'u3'])
  if (int(0, 3) === 0) f.category = pick(categories)
  return f
}

describe('KPIs versus straightforward SQL over the raw rows', () => {
  it(`agrees exactly for random windows and filters after random histories (seed ${seed})`, async () => {
    const sql = server.db.sql
    for (let i = 0; i < 40; i++) {
      let a = instant()
      let b = int(0, 4) === 0 ? a + int(1, 5000) : instant()
      if (a === b) b += 1
      if (a > b) [a, b] = [b, a]
      const filters = randomFilters()
      const query = new URLSearchParams({ from: iso(a), to: iso(b), ...(filters as Record<string, string>) })
      const res = await getJson(`${server.url}/api/v1/kpis?${query}`, testTokens.display)
      expect(res.status).toBe(200)
      const reference = await referenceKpis(sql, new Date(a), new Date(b), filters)
      const context = `window ${iso(a)}..${iso(b)} filters ${JSON.stringify(filters)}`
      const { medianResolveMinutes: median, ...tickets } = res.body.tickets
      const { medianResolveMinutes: exact, ...exactTickets } = reference.tickets
      expect(tickets, context).toEqual(exactTickets)
      if (exact === null) expect(median, context).toBeNull()
      else expect(Math.abs(median - exact), context).toBeLessThanOrEqual(0.0101 * Math.abs(exact) + 1 / 60)
      expect(res.body.dossiers, context).toEqual(reference.dossiers)
      expect(res.body.satisfaction, context).toEqual(reference.satisfaction)
      expect(res.body.tasks, context).toEqual(reference.tasks)
    }
    const { incremental, rebuilt } = await incrementalAndRebuilt(sql)
    expect(incremental).toEqual(rebuilt)
  })

  it('agrees per group for day and ward breakdowns of random windows', async () => {
    const sql = server.db.sql
    for (let i = 0; i < 4; i++) {
      const a = instant()
      const b = a + int(1, 6) * 86_400_000 + int(0, 3_600_000)
      for (const by of ['day', 'ward', 'unit'] as const) {
        const query = new URLSearchParams({ by, from: iso(a), to: iso(b) })
        const res = await getJson(`${server.url}/api/v1/kpis/breakdown?${query}`, testTokens.display)
        expect(res.status).toBe(200)
        const clip = (t: number) => new Date(Math.min(b, Math.max(a, t)))
        for (const group of res.body.groups as Array<{ key: string; kpis: Record<string, unknown> }>) {
          // Day groups: the local day [00:00+07, next 00:00+07) clipped to the window.
          const dayStart = Date.parse(`${group.key}T00:00:00+07:00`)
          const [from, to, filters] =
            by === 'day'
              ? [clip(dayStart), clip(dayStart + 86_400_000), {}]
              : [new Date(a), new Date(b), { [by]: group.key }]
          const reference = await referenceKpis(sql, from, to, filters)
          const { medianResolveMinutes: _m, ...tickets } = group.kpis.tickets as Record<string, unknown>
          const { medianResolveMinutes: _e, ...exactTickets } = reference.tickets
          expect(tickets, `${by} ${group.key}`).toEqual(exactTickets)
          expect(group.kpis.dossiers, `${by} ${group.key}`).toEqual(reference.dossiers)
          expect(group.kpis.satisfaction, `${by} ${group.key}`).toEqual(reference.satisfaction)
          expect(group.kpis.tasks, `${by} ${group.key}`).toEqual(reference.tasks)
        }
      }
    }
  })

  it("a live scope's open counts per ward are the reference's open and overdue tickets at that instant", async () => {
    const sql = server.db.sql
    let counted = 0
    for (let i = 0; i < 12; i++) {
      const now = new Date(instant())
      const scope = pick([{}, {}, { ward: pick(['22930', '22915']) }, { unit: pick(['u1', 'u2']) }])
      const counts = await openAggregates(sql, scope, now)
      const context = `open counts at ${now.toISOString()} in ${JSON.stringify(scope)}`
      const at = async (filters: Filters) => {
        const { open, overdue } = (
          await referenceKpis(sql, new Date(now.getTime() - 3_600_000), now, filters)
        ).tickets
        return { open, overdue }
      }
      expect(counts.total, context).toEqual(await at(scope))
      const byWard: Record<string, { open: number; overdue: number }> = {}
      for (const ward of wards) {
        if (ward === null || (scope.ward !== undefined && scope.ward !== ward)) continue
        const expected = await at({ ...scope, ward })
        if (expected.open > 0) byWard[ward] = expected
      }
      expect(counts.byWard, context).toEqual(byWard)
      if (Object.keys(byWard).length > 1) counted++
    }
    expect(counted).toBeGreaterThan(0)
  })

  it('scorecard figures equal GET /api/v1/kpis?unit= for random windows, with exactly the active units', async () => {
    const sql = server.db.sql
    let backlogSeen = 0
    for (let i = 0; i < 12; i++) {
      const a = instant()
      const b = a + pick([3_600_000, 86_400_000, 7 * 86_400_000, int(1, 40 * 86_400_000)])
      const res = await getJson(
        `${server.url}/api/v1/units/scorecard?${new URLSearchParams({ from: iso(a), to: iso(b) })}`,
        testTokens.display,
      )
      expect(res.status).toBe(200)
      const context = `scorecard ${iso(a)}..${iso(b)}`
      expect(res.body.previousWindow, context).toEqual({ from: iso(2 * a - b), to: iso(a) })
      const units = unitScorecardSchema.parse(res.body).units
      expect(units.map((u) => u.unit).sort(), context).toEqual(
        await referenceScorecardUnits(sql, new Date(a), new Date(b)),
      )
      expect(units.map((u) => u.rank)).toEqual(units.map((_, j) => j + 1))
      const work = units.map((u) => u.tickets.overdue + u.dossiers.overdueOpen + u.tasks.overdue)
      expect(work, context).toEqual([...work].sort((x, y) => y - x))
      if (units.some((u) => u.unit === 'u-backlog' && u.tickets.received === 0)) backlogSeen++
      for (const u of units) {
        for (const [from, to, figures] of [
          [a, b, u],
          [2 * a - b, a, u.previous],
        ] as const) {
          const query = new URLSearchParams({ from: iso(from), to: iso(to), unit: u.unit })
          const k = (await getJson(`${server.url}/api/v1/kpis?${query}`, testTokens.display)).body
          expect(figures, `${context} ${u.unit} ${iso(from)}`).toMatchObject({
            tickets: {
              received: k.tickets.received,
              resolved: k.tickets.resolved,
              onTimeRate: k.tickets.onTimeRate,
              medianResolveMinutes: k.tickets.medianResolveMinutes,
              overdue: k.tickets.overdue,
            },
            dossiers: {
              finished: k.dossiers.finished,
              onTimeRate: k.dossiers.onTimeRate,
              overdueOpen: k.dossiers.overdueOpen,
            },
            tasks: {
              issued: k.tasks.issued,
              done: k.tasks.done,
              onTimeRate: k.tasks.onTimeRate,
              overdue: k.tasks.overdue,
            },
            satisfaction: { responses: k.satisfaction.responses, rate: k.satisfaction.rate },
          })
        }
      }
    }
    expect(backlogSeen).toBeGreaterThan(0)
  })
})
