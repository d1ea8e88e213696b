import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requestJson } from './support/http'
import { sampleTicket } from './support/items'
import { startTestServer, type TestServer, testFeedSource, testTokens } from './support/test-server'

// `GET /api/v1/leader-view` (issue #20): one answer with what a leader screen shows, each part
// exactly what its own route answers the same caller, so a role sees no more through it than
// through the routes (a display no lists, a unit only its own items and tasks, and no KPIs).
const now = Date.parse('2026-11-28T10:00:00+07:00')
const today = '2026-11-28'
const unit = 'ubnd-22930'
const otherUnit = 'ubnd-22915'
const unitToken = 'test-leader-view-unit-secret'
let server: TestServer

beforeAll(async () => {
  server = await startTestServer(
    {
      API_TOKENS: [
        `leader=${testTokens.leader}`,
        `display=${testTokens.display}`,
        `feed:${testFeedSource}=${testTokens.feed}`,
        `unit:${unit}=${unitToken}`,
      ].join(','),
    },
    { clock: () => new Date(now) },
  )
  const hours = (h: number) => new Date(now + h * 3_600_000).toISOString()
  const tickets = Array.from({ length: 6 }, (_, i) =>
    sampleTicket(`lv-${i}`, {
      unit: i < 4 ? unit : otherUnit,
      receivedAt: hours(-2 + i * 0.1),
      updatedAt: hours(-2 + i * 0.1),
      // Two overdue now, the rest due later today.
      dueAt: hours(i % 3 === 0 ? -0.5 : 3),
      reporter: { name: 'Nguyễn Văn A', phone: '0901234567' },
    }),
  )
  const tasks = [unit, unit, otherUnit].map((u, i) => ({
    source: testFeedSource,
    ref: `lv-task-${i}`,
    updatedAt: hours(-5),
    title: `Nhiệm vụ ${i}`,
    unit: u,
    issuedAt: hours(-5),
    dueAt: hours(-1 - i),
    status: 'assigned',
  }))
  for (const [feed, items] of [
    ['tickets', tickets],
    ['tasks', tasks],
  ] as const) {
    const stored = await call(`/feeds/${feed}`, testTokens.feed, items)
    expect([stored.status, stored.body.created]).toEqual([200, items.length])
  }
})
afterAll(() => server?.stop())

function call(path: string, token?: string, body?: unknown) {
  return requestJson(`${server.url}/api/v1${path}`, { token, body })
}
const view = (token: string | undefined, params: Record<string, string> = {}) =>
  call(
    `/leader-view?${new URLSearchParams({ view: 'city', preset: 'today', from: today, to: today, ...params })}`,
    token,
  )
const refs = (page: { items: Array<{ ref: string }> }) => page.items.map((t) => t.ref)

describe('the leader view', () => {
  it("gives a leader, in one answer, what each route answers for the screen's windows", async () => {
    const { status, body } = await view(testTokens.leader)
    expect(status).toBe(200)
    // Today so far, in the city's time zone, and the same span the day before.
    expect(body.window).toEqual({ from: '2026-11-27T17:00:00.000Z', to: '2026-11-28T03:00:00.000Z' })
    expect(body.previousWindow).toEqual({ from: '2026-11-26T17:00:00.000Z', to: '2026-11-27T03:00:00.000Z' })
    const w = `from=${body.window.from}&to=${body.window.to}`
    const leader = (path: string) => call(path, testTokens.leader).then((r) => r.body)
    expect(body.kpis).toEqual(await leader(`/kpis?${w}`))
    expect(body.kpis.tickets.received).toBe(6)
    expect(body.previousKpis).toEqual(
      await leader(`/kpis?from=${body.previousWindow.from}&to=${body.previousWindow.to}`),
    )
    expect(body.cityKpis).toEqual(body.kpis)
    for (const by of ['ward', 'category', 'unit', 'day', 'field'])
      expect(body.breakdowns[by]).toEqual(await leader(`/kpis/breakdown?${w}&by=${by}`))
    expect(body.tickets).toEqual(await leader(`/tickets?${w}&limit=50`))
    expect(body.tickets.items).toHaveLength(6)
    expect(body.tickets.items[0].reporter.phone).toBe('0901234567')
    expect(body.mapTickets).toEqual(await leader('/tickets?open=true&sort=dueAt&limit=300'))
    expect(body.overdueTasks.items).toEqual((await leader('/tasks?sla=overdue&sort=dueAt&limit=50')).items)
    expect(refs(body.overdueTasks)).toEqual(['lv-task-2', 'lv-task-1', 'lv-task-0'])
    // The live page freezes nothing: no summary, no overdue dossiers; the city view lists tickets.
    expect(body.dossiers).toBeNull()
    expect(body).not.toHaveProperty('summary')
    expect(body).not.toHaveProperty('overdueDossiers')
    const dossiers = await view(testTokens.leader, { view: 'dossiers' })
    expect([dossiers.body.tickets, dossiers.body.dossiers]).toEqual([
      null,
      await leader(`/dossiers?${w}&limit=50`),
    ])
    expect(dossiers.body).not.toHaveProperty('mapTickets')
  })

  it('gives a display the KPIs and none of the lists, which its routes refuse it', async () => {
    const { status, body } = await view(testTokens.display)
    expect(status).toBe(200)
    const w = `from=${body.window.from}&to=${body.window.to}`
    expect(body.kpis).toEqual((await call(`/kpis?${w}`, testTokens.display)).body)
    expect((await call(`/tickets?${w}`, testTokens.display)).status).toBe(403)
    expect((await call('/tasks', testTokens.display)).status).toBe(403)
    expect([body.tickets, body.mapTickets, body.overdueTasks]).toEqual([null, null, null])
    expect(JSON.stringify(body)).not.toContain('0901234567')
  })

  it("gives a unit its own items and tasks with the reporter, no KPIs, and nothing of another unit's", async () => {
    const { status, body } = await view(unitToken)
    expect(status).toBe(200)
    const w = `from=${body.window.from}&to=${body.window.to}`
    expect((await call(`/kpis?${w}`, unitToken)).status).toBe(403)
    expect([body.kpis, body.previousKpis, body.cityKpis]).toEqual([null, null, null])
    expect(Object.values(body.breakdowns)).toEqual([null, null, null, null, null])
    expect(body.tickets).toEqual((await call(`/tickets?${w}&limit=50`, unitToken)).body)
    expect(refs(body.tickets).sort()).toEqual(['lv-0', 'lv-1', 'lv-2', 'lv-3'])
    expect(body.tickets.items[0].reporter.phone).toBe('0901234567')
    expect(refs(body.mapTickets).sort()).toEqual(['lv-0', 'lv-1', 'lv-2', 'lv-3'])
    expect(refs(body.overdueTasks)).toEqual(['lv-task-1', 'lv-task-0'])
    // Another unit's screen: the routes answer the unit 403, so the view has those parts empty.
    expect((await call(`/tickets?unit=${otherUnit}`, unitToken)).status).toBe(403)
    const other = await view(unitToken, { unit: otherUnit })
    expect(other.status).toBe(200)
    expect([other.body.tickets, other.body.mapTickets, other.body.overdueTasks]).toEqual([null, null, null])
  })

  it('refuses a caller no part is for, and names a bad parameter', async () => {
    expect((await view(undefined)).status).toBe(401)
    expect((await view(testTokens.feed)).status).toBe(403)
    for (const [params, field] of [
      [{ view: 'wall' }, 'view'],
      [{ from: '2026-02-30' }, 'from'],
      [{ sla: 'late' }, 'sla'],
    ] as const) {
      const answer = await view(testTokens.leader, params)
      expect([answer.status, answer.body.error.field]).toEqual([400, field])
    }
    const missing = await call(`/leader-view?view=city&to=${today}`, testTokens.leader)
    expect([missing.status, missing.body.error.field]).toEqual([400, 'from'])
  })
})
