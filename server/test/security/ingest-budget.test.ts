import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app'
import { createPool } from '../../src/db/connection'
import { requestJson } from '../support/http'
import { sampleTicket } from '../support/items'
import { startTestServer, type TestServer, testTokens } from '../support/test-server'

// docs/design.md §5: one credential cannot exceed its ingest limit whatever door it uses.
let server: TestServer
beforeAll(async () => {
  server = await startTestServer({ INGEST_RATE_LIMIT: '4' })
})
afterAll(() => server?.stop())

const feed = (ref: string, token: string = testTokens.feed) =>
  requestJson(`${server.url}/api/v1/feeds/tickets`, { token, body: sampleTicket(ref) })
const open311 = (apiKey: string) =>
  fetch(`${server.url}/open311/v2/requests.json`, {
    method: 'POST',
    body: new URLSearchParams({ api_key: apiKey, service_code: 'waste', lat: '10.932', long: '108.1' }),
  })

describe('one ingest budget per key', () => {
  it('counts the HTTP feeds and Open311 POST against the same bucket', async () => {
    expect((await feed('b-1')).status).toBe(201)
    expect((await feed('b-2')).status).toBe(201)
    expect((await open311(testTokens.feed)).status).toBe(200)
    expect((await open311(testTokens.feed)).status).toBe(200)
    // Four requests a minute in all: the fifth is refused at either door.
    const viaOpen311 = await open311(testTokens.feed)
    expect(viaOpen311.status).toBe(429)
    expect(Number(viaOpen311.headers.get('retry-after'))).toBeGreaterThan(0)
    const [error] = (await viaOpen311.json()) as Array<{ code: number; description: string }>
    expect(error).toMatchObject({ code: 429 })
    const viaFeed = await feed('b-3')
    expect(viaFeed.status).toBe(429)
    expect(viaFeed.body.error.code).toBe('rate_limited')
    // Another key has its own budget.
    expect((await open311(testTokens.admin)).status).toBe(200)
    expect((await feed('b-4', testTokens.admin)).status).toBe(201)
  })
})

describe('Open311 errors', () => {
  it('are in GeoReport format on every /open311/v2/ route, a 500 included', async () => {
    // The app over a pool whose PostgreSQL does not answer: every read fails inside the route.
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo
        probe.close(() => resolve(port))
      })
    })
    const sql = createPool(`postgres://citydeck@127.0.0.1:${port}/gone`, { max: 1 })
    try {
      const app = createApp({ ...server.deps, sql })
      const json = await app.request('/open311/v2/requests.json?service_code=waste')
      expect(json.status).toBeGreaterThanOrEqual(500)
      const body = (await json.json()) as Array<{ code: number; description: string }>
      expect(body).toEqual([{ code: json.status, description: expect.any(String) }])
      expect(body[0]!.description).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/)
      const xml = await app.request('/open311/v2/requests/test-source:x.xml')
      expect(xml.status).toBeGreaterThanOrEqual(500)
      expect(xml.headers.get('content-type')).toContain('xml')
      expect(await xml.text()).toMatch(
        /<errors><error><code>5\d\d<\/code><description>[^<]+<\/description><\/error><\/errors>/,
      )
      // The rest of the API keeps its own error shape.
      const api = await app.request('/api/v1/kpis', {
        headers: { authorization: `Bearer ${testTokens.admin}` },
      })
      expect(api.status).toBeGreaterThanOrEqual(500)
      expect(((await api.json()) as { error: { code: string } }).error.code).toBeTruthy()
    } finally {
      await sql.end({ timeout: 1 })
    }
  })
})
