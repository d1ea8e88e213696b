import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requestJson } from '../support/http'
import { sampleTicket } from '../support/items'
import { startTestServer, type TestServer, testTokens } from '../support/test-server'

// Values that passed validation and then crashed in PostgreSQL (500), losing a whole batch
// (issue #15 item 2). Each is now refused with a 4xx naming its field, alone.
let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server?.stop())

const feed = (body: unknown) =>
  requestJson(`${server.url}/api/v1/feeds/tickets`, { token: testTokens.feed, body })
const get = (path: string) => requestJson(`${server.url}${path}`, { token: testTokens.leader })

describe('input PostgreSQL cannot store', () => {
  it.each([
    ['a lone surrogate in the title', { title: 'đèn \ud800 hỏng' }, 'title'],
    ['a lone surrogate in a nested field', { reporter: { name: '\udc00' } }, 'reporter.name'],
    ['a NUL in the address', { address: 'số 1\u0000' }, 'address'],
    ['a year-0 date', { receivedAt: '0000-01-01T00:00:00Z' }, 'receivedAt'],
    ['a deadline past year 9999', { dueAt: '9999-12-31T23:59:59Z' }, 'dueAt'],
  ])('is refused with 422 naming the field: %s', async (_what, over, field) => {
    const res = await feed(sampleTicket('bad-one', over))
    expect(res.status).toBe(422)
    expect(res.body.error.field).toBe(field)
  })

  it('in a batch rejects that item alone and stores the good ones', async () => {
    const res = await feed([
      sampleTicket('good-1'),
      sampleTicket('bad-2', { title: 'x\ud800' }),
      sampleTicket('bad-3', { updatedAt: '0000-06-01T00:00:00+07:00' }),
      sampleTicket('good-4'),
    ])
    expect(res.status).toBe(200)
    expect(res.body.created).toBe(2)
    expect(res.body.rejected.map((r: { index: number; field: string }) => [r.index, r.field])).toEqual([
      [1, 'title'],
      [2, 'updatedAt'],
    ])
    const [row] = await server.db.sql`select count(*)::int as n from tickets where ref like 'bad-%'`
    expect(row!.n).toBe(0)
  })

  it.each([
    ['/api/v1/kpis?to=9999-12-31T23:59:59Z', 'to'],
    ['/api/v1/kpis?from=0000-01-01T00:00:00Z', 'from'],
    ['/api/v1/kpis?unit=a%00b', 'unit'],
    ['/api/v1/tickets?unit=a%00b', 'unit'],
    ['/api/v1/tickets?from=0000-01-01T00:00:00Z', 'from'],
  ])('as a query parameter is a 400 naming it: %s', async (path, field) => {
    const res = await get(path)
    expect(res.status).toBe(400)
    expect(res.body.error.field).toBe(field)
  })

  it('as a login name is a 400, not a 500', async () => {
    const res = await requestJson(`${server.url}/api/v1/login`, {
      body: { name: 'ad\u0000min', password: 'x' },
    })
    expect(res.status).toBe(400)
  })

  it('as a snapshot day is a 4xx naming the field', async () => {
    const res = await requestJson(`${server.url}/api/v1/snapshots`, {
      token: testTokens.leader,
      body: { view: 'city', filters: { preset: 'custom', from: '0000-01-01', to: '2026-11-28' } },
    })
    expect([400, 422]).toContain(res.status)
    expect(JSON.stringify(res.body)).toContain('from')
  })
})
