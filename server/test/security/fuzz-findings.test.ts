import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requestJson } from '../support/http'
import { sampleTicket } from '../support/items'
import { startTestServer, type TestServer, testFeedSource, testTokens } from '../support/test-server'

// What the fuzz suite (server/test/fuzz) found on main, each as the smallest request that showed
// it (issue #15: no 5xx; every 400/422 names its field).
let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
  const res = await requestJson(`${server.url}/api/v1/feeds/tickets`, {
    token: testTokens.feed,
    body: sampleTicket('fz-1'),
  })
  expect(res.status).toBe(201)
})
afterAll(() => server?.stop())

const call = (path: string, token: string | undefined, body?: unknown, type = 'application/json') =>
  requestJson(`${server.url}${path}`, {
    token,
    ...(body === undefined ? {} : { body, headers: { 'content-type': type } }),
  })

describe('a NUL (%00) in the path', () => {
  it.each([
    [`/api/v1/tickets/${testFeedSource}/a%00b`],
    [`/api/v1/dossiers/%00/x`],
    [`/api/v1/tasks/%25/a%00b`],
    [`/api/v1/snapshots/a%00b`],
  ])('is a 404 in the API format, not a 500: GET %s', async (path) => {
    const res = await call(path, testTokens.leader)
    expect(res.status).toBe(404)
    expect(res.body.error.code).toBe('not_found')
  })

  it('is a 404 for an alert acknowledgement, before any lookup', async () => {
    const res = await call(`/api/v1/alerts/ticket_overdue/${testFeedSource}/x%00/ack`, testTokens.leader, {})
    expect(res.status).toBe(404)
  })

  it('is a 404 in GeoReport format on Open311', async () => {
    for (const path of [
      `/open311/v2/requests/${testFeedSource}:a%00.json`,
      '/open311/v2/tokens/a%00b.json',
    ]) {
      const res = await call(path, undefined)
      expect(res.status).toBe(404)
      expect(res.body[0].code).toBe(404)
    }
  })
})

describe('bodies that are not the object a route expects', () => {
  it('Open311 JSON `null` is a GeoReport 4xx naming what is missing, not a 500', async () => {
    const res = await call('/open311/v2/requests.json', undefined, 'null')
    expect(res.status).toBe(403)
    expect(res.body[0].description).toContain('api_key')
  })

  it.each([
    ['/api/v1/login', undefined, '"x"'],
    ['/api/v1/login', undefined, '{"name": 5, "password": "x"}'],
    ['/api/v1/directives', testTokens.leader, '[{"instruction": "Xử lý"}]'],
    ['/api/v1/directives', testTokens.leader, '{'],
    ['/api/v1/tokens', testTokens.admin, '[]'],
    ['/api/v1/snapshots', testTokens.leader, '[]'],
    ['/api/v1/feeds/tickets', testTokens.feed, '"x"'],
  ])('POST %s with %s names the field (or the body as a whole)', async (path, token, body) => {
    const res = await call(path, token, body)
    expect([400, 422]).toContain(res.status)
    expect(res.body.error.field).toMatch(/^(body|name)$/)
  })
})

describe('Open311 POST requests refused by ingest', () => {
  it.each([
    [{ long: '181' }, 'long'],
    [{ lat: '-91' }, 'lat'],
    [{ address_string: 'y'.repeat(600) }, 'address_string'],
    [{ description: 'đèn\u0000' }, 'description'],
  ])('name the GeoReport parameter, not the ticket field: %o', async (over, param) => {
    const form = { api_key: testTokens.feed, service_code: 'waste', lat: '10.93', long: '108.1', ...over }
    const res = await fetch(`${server.url}/open311/v2/requests.json`, {
      method: 'POST',
      body: new URLSearchParams(form),
    })
    expect(res.status).toBe(400)
    const [error] = (await res.json()) as Array<{ description: string }>
    expect(error!.description.startsWith(`${param}: `)).toBe(true)
  })
})

describe('values the database refused', () => {
  it('a token label with a NUL is a 422 naming label', async () => {
    const res = await call('/api/v1/tokens', testTokens.admin, { role: 'display', label: 'a\u0000b' })
    expect(res.status).toBe(422)
    expect(res.body.error.field).toBe('label')
  })

  it.each(['0000-00-00', '2026-13-01', '2026-02-30', '9999-99-99'])(
    'a briefing PDF of a day that does not exist (%s) is a 404, not a 500',
    async (day) => {
      const res = await call(`/api/v1/briefings/${day}.pdf`, testTokens.leader)
      expect(res.status).toBe(404)
      expect(res.body.error.code).toBe('not_found')
    },
  )

  it('a snapshot of 30 February is a 400 naming filters.from', async () => {
    const res = await call('/api/v1/snapshots', testTokens.leader, {
      view: 'city',
      filters: { preset: 'custom', from: '2026-02-30', to: '2026-03-02' },
    })
    expect(res.status).toBe(400)
    expect(res.body.error.field).toBe('filters.from')
  })
})
