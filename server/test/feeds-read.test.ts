import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getJson, requestJson } from './support/http'
import { startTestServer, type TestServer, testFeedSource, testTokens } from './support/test-server'

let server: TestServer
const hour = (h: number) => new Date(Date.UTC(2026, 10, 27, h)).toISOString()
const ticket = (ref: string, h: number, over: Record<string, unknown> = {}) => ({
  source: testFeedSource,
  ref,
  updatedAt: hour(h),
  category: h % 2 ? 'waste' : 'lighting',
  title: h === 3 ? 'Đèn đường hỏng 100%' : `Rác ${ref}`,
  address: 'Trần Hưng Đạo',
  location: { lat: 10.932, lng: 108.1 },
  status: 'received',
  receivedAt: hour(h),
  reporter: { name: 'Nguyễn Văn A', phone: '0909000000' },
  ...over,
})

beforeAll(async () => {
  // The lists' SLA filter reads the server's clock: noon, when r0–r3 (due h+8) are overdue.
  server = await startTestServer({}, { clock: () => new Date(hour(12)) })
  const post = (feed: string, body: unknown) =>
    requestJson(`${server.url}/api/v1/feeds/${feed}`, { token: testTokens.feed, body })
  await post(
    'tickets',
    Array.from({ length: 12 }, (_, h) => ticket(`r${h}`, h)),
  )
  await post(
    'tickets',
    ticket('r5', 14, { status: 'resolved', resolvedAt: hour(14), receivedAt: hour(5), unit: 'CA' }),
  )
  await post('surveys', {
    source: testFeedSource,
    ref: 's1',
    updatedAt: hour(15),
    submittedAt: hour(15),
    score: 5,
    subject: { kind: 'ticket', source: testFeedSource, ref: 'r5' },
  })
  await post('procedures', {
    source: testFeedSource,
    ref: 'p1',
    updatedAt: hour(0),
    code: '1.001',
    name: 'Đăng ký khai sinh',
    field: 'Hộ tịch',
    level: 'full',
    provincialPortal: true,
    nationalPortal: true,
    feeBearing: false,
  })
  await post('dossiers', {
    source: testFeedSource,
    ref: 'd1',
    updatedAt: hour(1),
    procedureCode: '1.001',
    channel: 'online',
    status: 'received',
    receivedAt: hour(1),
    dueAt: hour(30),
  })
})
afterAll(() => server?.stop())

const list = (query: string, token: string = testTokens.leader) =>
  getJson(`${server.url}/api/v1/tickets?${query}`, token)

describe('GET /api/v1/tickets', () => {
  it('pages by cursor through every ticket exactly once, newest first', async () => {
    const seen: string[] = []
    let cursor: string | null = ''
    while (cursor !== null) {
      const res = await list(`limit=5${cursor ? `&cursor=${cursor}` : ''}`)
      expect(res.status).toBe(200)
      seen.push(...res.body.items.map((t: { ref: string }) => t.ref))
      cursor = res.body.nextCursor
    }
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => `r${11 - i}`))
    const asc = await list('sort=receivedAt&limit=2')
    expect(asc.body.items.map((t: { ref: string }) => t.ref)).toEqual(['r0', 'r1'])
  })

  it('filters by category, status, open, unit, time window and text', async () => {
    const refs = async (q: string) => (await list(q)).body.items.map((t: { ref: string }) => t.ref).sort()
    expect(await refs('category=waste&from=2026-11-27T06:00:00Z')).toEqual(['r11', 'r7', 'r9'])
    expect(await refs('status=resolved')).toEqual(['r5'])
    expect(await refs('open=false')).toEqual(['r5'])
    expect((await refs('open=true')).length).toBe(11)
    expect(await refs('unit=CA')).toEqual(['r5'])
    expect(await refs('q=100%25')).toEqual(['r3'])
    expect(await refs('to=2026-11-27T02:00:00%2B00:00')).toEqual(['r0', 'r1'])
    expect((await list('limit=501')).status).toBe(400)
    expect((await list('cursor=garbage')).status).toBe(400)
  })

  it('filters open tickets by SLA state at the server clock and sorts by deadline', async () => {
    const refs = async (q: string) => (await list(q)).body.items.map((t: { ref: string }) => t.ref)
    // noon: due before 12:00 is overdue, 12:00–13:00 due within 1 h, later on time; r5 is resolved.
    expect(await refs('sla=overdue&sort=dueAt')).toEqual(['r0', 'r1', 'r2', 'r3'])
    expect(await refs('sla=soon&sort=dueAt')).toEqual(['r4'])
    expect(await refs('sla=ontime&sort=dueAt')).toEqual(['r6', 'r7', 'r8', 'r9', 'r10', 'r11'])
    expect(await refs('sla=overdue&category=waste&sort=dueAt')).toEqual(['r1', 'r3'])
    // Paging by deadline visits every ticket once, soonest deadline first.
    const seen: string[] = []
    let cursor: string | null = ''
    while (cursor !== null) {
      const res = await list(`sort=dueAt&limit=5${cursor ? `&cursor=${cursor}` : ''}`)
      seen.push(...res.body.items.map((t: { ref: string }) => t.ref))
      cursor = res.body.nextCursor
    }
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => `r${i}`))
    const bad = await list('sla=late')
    expect(bad.status).toBe(400)
    expect(bad.body.error.field).toBe('sla')
  })

  it('returns the wire shape with personal data to leaders and admins only', async () => {
    const [first] = (await list('limit=1')).body.items
    expect(first).toMatchObject({
      ref: 'r11',
      wardCode: '22930',
      dueAt: hour(19),
      reporter: { name: 'Nguyễn Văn A' },
    })
    expect((await list('limit=1', testTokens.admin)).body.items[0].reporter).toBeDefined()
    expect((await list('', testTokens.display)).status).toBe(403)
    expect((await list('', testTokens.feed)).status).toBe(403)
  })
})

describe('GET /api/v1/tickets/:source/:ref', () => {
  it('returns the ticket with every version and the survey answers about it', async () => {
    const res = await getJson(`${server.url}/api/v1/tickets/${testFeedSource}/r5`, testTokens.leader)
    expect(res.status).toBe(200)
    expect(res.body.item).toMatchObject({ ref: 'r5', status: 'resolved', resolvedAt: hour(14) })
    expect(
      res.body.history.map((v: { op: string; status: string; unit: string | null }) => [
        v.op,
        v.status,
        v.unit,
      ]),
    ).toEqual([
      ['created', 'received', null],
      ['updated', 'resolved', 'CA'],
    ])
    expect(res.body.surveys).toEqual([expect.objectContaining({ ref: 's1', score: 5 })])
    expect(
      (await getJson(`${server.url}/api/v1/tickets/${testFeedSource}/nope`, testTokens.leader)).status,
    ).toBe(404)
  })

  it('does the same for dossiers', async () => {
    const page = await getJson(
      `${server.url}/api/v1/dossiers?procedureCode=1.001&open=true`,
      testTokens.admin,
    )
    expect(page.body.items).toEqual([expect.objectContaining({ ref: 'd1', channel: 'online' })])
    const dossierSla = async (sla: string) =>
      (
        await getJson(`${server.url}/api/v1/dossiers?sla=${sla}&sort=dueAt`, testTokens.leader)
      ).body.items.map((d: { ref: string }) => d.ref)
    // d1 is due at 30:00 the next day: on time at noon, neither overdue nor due within 1 h.
    expect(await dossierSla('ontime')).toEqual(['d1'])
    expect(await dossierSla('overdue')).toEqual([])
    const byField = (field: string) =>
      getJson(`${server.url}/api/v1/dossiers?field=${encodeURIComponent(field)}`, testTokens.leader)
    expect((await byField('Hộ tịch')).body.items.map((d: { ref: string }) => d.ref)).toEqual(['d1'])
    expect((await byField('Đất đai')).body.items).toEqual([])
    const one = await getJson(`${server.url}/api/v1/dossiers/${testFeedSource}/d1`, testTokens.admin)
    expect(one.body.history).toHaveLength(1)
  })

  it('serves the procedure catalog by code to leaders, newest version of a code first', async () => {
    await requestJson(`${server.url}/api/v1/feeds/procedures`, {
      token: testTokens.feed,
      body: {
        source: testFeedSource,
        ref: 'p2',
        updatedAt: hour(2),
        code: '1.002',
        name: 'Đăng ký kết hôn',
        field: 'Hộ tịch',
        level: 'partial',
        provincialPortal: true,
        nationalPortal: false,
        feeBearing: true,
        unit: 'tuphap',
      },
    })
    const res = await getJson(`${server.url}/api/v1/procedures`, testTokens.leader)
    expect(res.status).toBe(200)
    expect(res.body.items).toEqual([
      { code: '1.001', name: 'Đăng ký khai sinh', field: 'Hộ tịch', level: 'full' },
      { code: '1.002', name: 'Đăng ký kết hôn', field: 'Hộ tịch', level: 'partial', unit: 'tuphap' },
    ])
    expect((await getJson(`${server.url}/api/v1/procedures`, testTokens.display)).status).toBe(403)
    expect((await getJson(`${server.url}/api/v1/procedures`)).status).toBe(401)
  })
})
