import { localDayOf } from '@citydeck/shared'
import { todayWindow } from '@citydeck/shared/time'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ingestItems } from '../src/feeds/ingest'
import { requestJson } from './support/http'
import { startTestServer, type TestServer, testTokens } from './support/test-server'

let server: TestServer
let today: string
const inPhuTrinh = { lat: 10.932, lng: 108.1 }

function ticket(ref: string) {
  // Half an hour ago, but never before the city's midnight: the snapshots count today's tickets.
  const now = new Date()
  const midnight = todayWindow(now, server.deps.city.profile.timeZone).from.getTime()
  const at = new Date(Math.max(now.getTime() - 30 * 60_000, midnight)).toISOString()
  return {
    source: 's1',
    ref,
    updatedAt: at,
    category: 'waste',
    title: `Rác tồn đọng ${ref}`,
    location: inPhuTrinh,
    status: 'received',
    receivedAt: at,
    reporter: { name: 'Nguyễn Văn A', phone: '0901234567' },
  }
}
const ingest = (refs: string[]) =>
  ingestItems(
    { sql: server.deps.sql, city: server.deps.city, events: server.deps.events },
    'tickets',
    refs.map(ticket),
  )

beforeAll(async () => {
  // No browser here: rendering is checked in the e2e tests; this server must answer 503 for it.
  server = await startTestServer({ CHROMIUM_PATH: '/nonexistent/chromium' })
  today = localDayOf(new Date(), server.deps.city.profile.timeZone)
})
afterAll(() => server?.stop())

const create = (body: unknown, token: string | null = testTokens.leader) =>
  requestJson(`${server.url}/api/v1/snapshots`, { body, token: token ?? undefined })
const cityToday = () => ({
  view: 'city',
  filters: { preset: 'today', from: today, to: today },
  title: 'Sáng nay',
})

describe('snapshots', () => {
  it('freezes the numbers: new data does not change a snapshot', async () => {
    await ingest(['a', 'b', 'c'])
    const created = await create(cityToday())
    expect(created.status).toBe(201)
    expect(created.body.url).toBe(`/snapshots/${created.body.id}`)
    expect(created.body.id).toMatch(/^[A-Za-z0-9_-]{16}$/)

    await ingest(['d', 'e'])
    const snap = await requestJson(`${server.url}/api/v1/snapshots/${created.body.id}`, {
      token: testTokens.leader,
    })
    expect(snap.status).toBe(200)
    expect(snap.body).toMatchObject({ view: 'city', title: 'Sáng nay', filters: { from: today, to: today } })
    expect(snap.body.data.kpis.tickets.received).toBe(3)
    expect(
      snap.body.data.breakdowns.ward.groups.find((g: { key: string }) => g.key === '22930')?.kpis.tickets
        .received,
    ).toBe(3)
    const live = await requestJson(
      `${server.url}/api/v1/kpis?from=${snap.body.data.window.from}&to=${snap.body.data.window.to}`,
      { token: testTokens.leader },
    )
    expect(live.body.tickets.received).toBe(5)
  })

  it('carries the tasks KPIs and the overdue tasks, soonest deadline first (issue #16)', async () => {
    const now = Date.now()
    const task = (ref: string, dueMinutesAgo: number, status = 'assigned') => ({
      source: 's1',
      ref,
      updatedAt: new Date(now - 60_000).toISOString(),
      title: `Nhiệm vụ ${ref}`,
      unit: 'ubnd-22930',
      issuedAt: new Date(now - 3 * 3_600_000).toISOString(),
      dueAt: new Date(now - dueMinutesAgo * 60_000).toISOString(),
      status,
      ...(status === 'done' ? { doneAt: new Date(now - 90 * 60_000).toISOString() } : {}),
    })
    await ingestItems({ sql: server.deps.sql, city: server.deps.city, events: server.deps.events }, 'tasks', [
      task('late-1', 5),
      task('late-2', 60),
      task('done', 30, 'done'),
      task('cancelled', 30, 'cancelled'),
    ])
    const created = await create(cityToday())
    expect(created.status).toBe(201)
    const snap = await requestJson(`${server.url}/api/v1/snapshots/${created.body.id}`, {
      token: testTokens.leader,
    })
    const { data } = snap.body
    expect(data.kpis.tasks).toMatchObject({ overdue: 2, open: 2 })
    expect(data.overdueTasks.items.map((t: { ref: string }) => t.ref)).toEqual(['late-2', 'late-1'])
    const unit = data.breakdowns.unit.groups.find((g: { key: string }) => g.key === 'ubnd-22930')
    expect(unit.kpis.tasks.overdue).toBe(2)
  })

  it("freezes a one-day view's summary for its Tóm tắt page: a week before, and the day before by ward and category", async () => {
    const created = await create(cityToday())
    const { data } = (
      await requestJson(`${server.url}/api/v1/snapshots/${created.body.id}`, { token: testTokens.leader })
    ).body
    const day = 86_400_000
    expect(Date.parse(data.window.from) - Date.parse(data.summary.weekAgoWindow.from)).toBe(7 * day)
    expect(Date.parse(data.summary.weekAgoWindow.to) - Date.parse(data.summary.weekAgoWindow.from)).toBe(
      Date.parse(data.window.to) - Date.parse(data.window.from),
    )
    // Each frozen figure is what the KPI API answers for its window.
    const api = (path: string) => requestJson(`${server.url}${path}`, { token: testTokens.leader })
    const { from, to } = data.summary.weekAgoWindow
    expect(data.summary.weekAgoKpis.tickets).toEqual(
      (await api(`/api/v1/kpis?from=${from}&to=${to}`)).body.tickets,
    )
    const before = data.previousWindow
    const wards = (await api(`/api/v1/kpis/breakdown?from=${before.from}&to=${before.to}&by=ward`)).body
    expect(data.summary.previousBreakdowns.ward.groups.map((g: { key: string }) => g.key)).toEqual(
      wards.groups.map((g: { key: string }) => g.key),
    )
    expect(data.summary.previousBreakdowns.category.by).toBe('category')
    // A week's view has no day-by-day summary (its week before is its previous period).
    const sevenDays = await create({
      view: 'city',
      filters: { preset: '7d', from: data.summary.weekAgoWindow.from.slice(0, 10), to: today },
    })
    const seven = await requestJson(`${server.url}/api/v1/snapshots/${sevenDays.body.id}`, {
      token: testTokens.leader,
    })
    expect(seven.body.data.summary).toBeUndefined()
  })

  it('shows personal data only to leaders', async () => {
    const created = await create(cityToday())
    const url = `${server.url}/api/v1/snapshots/${created.body.id}`
    const anonymous = await requestJson(url)
    expect(anonymous.status).toBe(200)
    expect(JSON.stringify(anonymous.body)).not.toContain('0901234567')
    expect(anonymous.body.createdBy).toBeNull()
    const display = await requestJson(url, { token: testTokens.display })
    expect(JSON.stringify(display.body)).not.toContain('Nguyễn Văn A')
    const leader = await requestJson(url, { token: testTokens.leader })
    expect(leader.body.createdBy).toBe('API_TOKENS')
    // The frozen list keeps the reporter for leaders only.
    expect(leader.body.data.tickets.items.length).toBeGreaterThan(0)
    expect(JSON.stringify(leader.body)).toContain('0901234567')
    expect(anonymous.body.data.tickets.items.length).toBe(leader.body.data.tickets.items.length)
  })

  it('is for leaders to create, with a body that names what is wrong', async () => {
    expect((await create(cityToday(), null)).status).toBe(401)
    expect((await create(cityToday(), testTokens.display)).status).toBe(403)
    const bad = await create({ view: 'everything', filters: { from: today, to: today } })
    expect(bad.status).toBe(400)
    expect(bad.body.error.field).toBe('view')
  })

  it('stops working once revoked or expired', async () => {
    const a = await create(cityToday())
    const revoke = await requestJson(`${server.url}/api/v1/snapshots/${a.body.id}`, {
      method: 'DELETE',
      token: testTokens.leader,
    })
    expect(revoke.status).toBe(204)
    expect((await requestJson(`${server.url}/api/v1/snapshots/${a.body.id}`)).status).toBe(410)

    const b = await create({ ...cityToday(), expiresInDays: 1 })
    expect((await requestJson(`${server.url}/api/v1/snapshots/${b.body.id}`)).status).toBe(200)
    await server.deps
      .sql`update snapshots set expires_at = now() - interval '1 second' where id = ${b.body.id}`
    const gone = await requestJson(`${server.url}/api/v1/snapshots/${b.body.id}.pdf`)
    expect(gone.status).toBe(410)
    expect((await requestJson(`${server.url}/api/v1/snapshots/nope`)).status).toBe(404)
  })

  it('answers 503 with how to install Chromium when there is none', async () => {
    const created = await create(cityToday())
    for (const format of ['pdf', 'png']) {
      const res = await requestJson(`${server.url}/api/v1/snapshots/${created.body.id}.${format}`)
      expect(res.status).toBe(503)
      expect(res.body.error.code).toBe('chromium_missing')
      expect(res.body.error.message).toContain('apt-get install chromium')
      expect(res.body.error.message).toContain('CHROMIUM_PATH')
    }
  })

  it('lists the snapshots for leaders', async () => {
    const list = await requestJson(`${server.url}/api/v1/snapshots`, { token: testTokens.leader })
    expect(list.status).toBe(200)
    expect(list.body.items.length).toBeGreaterThanOrEqual(5)
    expect(list.body.items[0]).toHaveProperty('url')
    expect(list.body.items[0]).not.toHaveProperty('data')
  })
})
