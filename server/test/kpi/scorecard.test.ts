import { MIN_SAMPLE, unitScorecardSchema } from '@citydeck/shared'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { getJson } from '../support/http'
import { startTestServer, type TestServer, testFeedSource, testTokens } from '../support/test-server'
import { clearFeeds, task, ticket, upsert } from './rows'

// The unit scorecard (docs/design.md §10) on hand-built data: who is on it, its numbers against
// GET /api/v1/kpis?unit=, the previous window, the rank rule and who may read it.
const F = new Date('2026-03-02T00:00:00+07:00')
const T = new Date('2026-03-09T00:00:00+07:00') // one week
const P = new Date('2026-02-23T00:00:00+07:00') // the week before
const at = (base: Date, hours: number) => new Date(base.getTime() + hours * 3_600_000).toISOString()
const unitToken = 'test-unit-scorecard-secret'
const window = `from=${encodeURIComponent(F.toISOString())}&to=${encodeURIComponent(T.toISOString())}`

let server: TestServer
beforeAll(async () => {
  server = await startTestServer({
    API_TOKENS: [
      `admin=${testTokens.admin}`,
      `leader=${testTokens.leader}`,
      `display=${testTokens.display}`,
      `feed:${testFeedSource}=${testTokens.feed}`,
      `unit:ubnd-22930=${unitToken}`,
    ].join(','),
  })
})
afterAll(() => server?.stop())
beforeEach(() => clearFeeds(server.db.sql))

const scorecard = async (query = window, token: string = testTokens.leader) =>
  getJson(`${server.url}/api/v1/units/scorecard?${query}`, token)

/** `n` tickets of `unit` resolved in the window, `late` of them after their due time. */
const resolved = (unit: string, n: number, late: number, base = F) =>
  Array.from({ length: n }, (_, i) =>
    ticket({
      ref: `${unit}-${base.getTime()}-${i}`,
      unit,
      received_at: at(base, i),
      due_at: at(base, i + 4),
      resolved_at: at(base, i + (i < late ? 5 : 1)),
    }),
  )

describe('GET /api/v1/units/scorecard (docs/design.md §10)', () => {
  it('is for display, leader and admin; names a bad from or to', async () => {
    for (const token of [testTokens.display, testTokens.leader, testTokens.admin]) {
      expect((await scorecard(window, token)).status).toBe(200)
    }
    expect((await scorecard(window, testTokens.feed)).status).toBe(403)
    expect((await scorecard(window, unitToken)).status).toBe(403)
    expect((await getJson(`${server.url}/api/v1/units/scorecard?${window}`)).status).toBe(401)
    const badFrom = await scorecard('from=yesterday')
    expect(badFrom.status).toBe(400)
    expect(badFrom.body.error.field).toBe('from')
    const backwards = await scorecard(
      `from=${encodeURIComponent(T.toISOString())}&to=${encodeURIComponent(F.toISOString())}`,
    )
    expect(backwards.status).toBe(400)
    expect(backwards.body.error.field).toBe('to')
  })

  it('lists units with items or open work, equal to ?unit=, ranked worst first with a minimum sample', async () => {
    const sql = server.db.sql
    expect(MIN_SAMPLE).toBeGreaterThan(2)
    await upsert(sql, 'tickets', [
      ...resolved('unit-a', MIN_SAMPLE + 2, 6), // on time 50 %, a big enough sample
      ...resolved('unit-a', 4, 0, P), // the week before: 4 of 4 on time
      ...resolved('unit-b', 2, 2), // 0 % on time, but only 2: not ranked by it
      ...resolved('unit-d', MIN_SAMPLE, 0), // 100 % on a full sample
      ...resolved('unit-e', 3, 0, T), // only after the window: not on it
    ])
    // ubnd-22930 had nothing in the window, but a task overdue since before it.
    await upsert(sql, 'tasks', [
      task({ ref: 'old', unit: 'ubnd-22930', issued_at: at(P, 1), due_at: at(P, 9) }),
    ])
    const res = await scorecard()
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    const body = unitScorecardSchema.parse(res.body)
    expect(body.window).toEqual({ from: F.toISOString(), to: T.toISOString() })
    expect(body.previousWindow).toEqual({ from: P.toISOString(), to: F.toISOString() })
    // Overdue work first; then the worst on-time rate of enough sample; unit-b's 2 tickets last.
    expect(body.units.map((u) => [u.rank, u.unit])).toEqual([
      [1, 'ubnd-22930'],
      [2, 'unit-a'],
      [3, 'unit-d'],
      [4, 'unit-b'],
    ])
    const backlog = body.units[0]!
    expect(backlog.name).toBe('UBND Phường Phú Trinh')
    expect(backlog.tasks).toEqual({ issued: 0, done: 0, onTimeRate: null, overdue: 1 })
    expect(backlog.tickets.received).toBe(0)
    const a = body.units[1]!
    expect(a.name).toBe('unit-a') // not in the profile: its code
    expect(a.tickets).toMatchObject({ received: MIN_SAMPLE + 2, resolved: MIN_SAMPLE + 2, overdue: 0 })
    expect(a.tickets.onTimeRate).toBeCloseTo((MIN_SAMPLE - 4) / (MIN_SAMPLE + 2), 12)
    expect(a.previous.tickets).toMatchObject({ received: 4, resolved: 4, onTimeRate: 1 })

    for (const u of body.units) {
      for (const [w, figures] of [
        [window, u],
        [`from=${encodeURIComponent(P.toISOString())}&to=${encodeURIComponent(F.toISOString())}`, u.previous],
      ] as const) {
        const kpis = (await getJson(`${server.url}/api/v1/kpis?${w}&unit=${u.unit}`, testTokens.display)).body
        expect(figures.tickets).toEqual({
          received: kpis.tickets.received,
          resolved: kpis.tickets.resolved,
          onTimeRate: kpis.tickets.onTimeRate,
          medianResolveMinutes: kpis.tickets.medianResolveMinutes,
          overdue: kpis.tickets.overdue,
        })
        expect(figures.tasks).toMatchObject({ overdue: kpis.tasks.overdue, issued: kpis.tasks.issued })
      }
    }
  })
})
