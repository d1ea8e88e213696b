import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DatabaseWatch } from '../../src/db/availability'
import { createPool } from '../../src/db/connection'
import { healthRoutes } from '../../src/observability/routes'
import { getJson } from '../support/http'
import { startTestServer, type TestServer, testTokens } from '../support/test-server'

// docs/design.md §11: the public health body says only up/degraded/down; details and /metrics are for
// an admin or the METRICS_TOKEN (Prometheus).
const metricsToken = 'prometheus-scrape-0123456789'
let server: TestServer
beforeAll(async () => {
  server = await startTestServer({ METRICS_TOKEN: metricsToken })
})
afterAll(() => server?.stop())

describe('GET /api/v1/health', () => {
  it('tells the public only whether the server is up', async () => {
    const res = await getJson(`${server.url}/api/v1/health`)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ status: 'up' })
    // A leader or display token is not enough for the details, nor is a wrong token.
    for (const token of [testTokens.leader, testTokens.display, 'not-a-token-0123456789']) {
      expect((await getJson(`${server.url}/api/v1/health`, token)).body).toEqual({ status: 'up' })
    }
  })

  it('gives an admin or the metrics token the process, database and migration details', async () => {
    for (const token of [testTokens.admin, metricsToken]) {
      const { status, body } = await getJson(`${server.url}/api/v1/health`, token)
      expect(status).toBe(200)
      expect(body.status).toBe('up')
      expect(body.process.pid).toBe(process.pid)
      expect(body.database).toMatchObject({ status: 'up', version: expect.any(String) })
      expect(body.migrations.pending).toEqual([])
    }
  })
})

describe('GET /metrics', () => {
  it('needs an admin token or METRICS_TOKEN', async () => {
    const res = await fetch(`${server.url}/metrics`)
    expect(res.status).toBe(401)
    expect(await res.text()).not.toContain('citydeck_')
    expect((await getJson(`${server.url}/metrics`, testTokens.leader)).status).toBe(403)
    for (const token of [testTokens.admin, metricsToken]) {
      const ok = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })
      expect(ok.status).toBe(200)
      expect(await ok.text()).toContain('citydeck_http_requests_total')
    }
  })
})

describe('when the database is gone', () => {
  it('says down with 503, still without details for the public', async () => {
    // The same routes over a pool whose PostgreSQL does not answer (nothing listens there).
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo
        probe.close(() => resolve(port))
      })
    })
    const sql = createPool(`postgres://citydeck@127.0.0.1:${port}/gone`, { max: 1 })
    try {
      // Before the watch has noticed: the probe itself finds the database gone.
      const routes = healthRoutes({ ...server.deps, sql, readSql: sql })
      const started = performance.now()
      const res = await routes.request('/')
      expect(performance.now() - started).toBeLessThan(1000)
      expect(res.status).toBe(503)
      expect(await res.json()).toEqual({ status: 'down' })
      const detailed = await routes.request('/', { headers: { authorization: `Bearer ${metricsToken}` } })
      expect(detailed.status).toBe(503)
      expect(await detailed.json()).toMatchObject({ status: 'down', database: { status: 'down' } })
      // Once the watch knows, health answers without asking the database at all.
      const watch = new DatabaseWatch(sql, {
        everyMs: 60_000,
        whileDownMs: 60_000,
        timeoutMs: 500,
        settleMs: 0,
        slowProbesBeforeDown: 2,
      })
      watch.report(Object.assign(new Error('gone'), { code: 'ECONNREFUSED' }))
      const known = await healthRoutes({ ...server.deps, sql, readSql: sql, database: watch }).request('/')
      watch.close()
      expect(known.status).toBe(503)
    } finally {
      await sql.end({ timeout: 1 })
    }
  })
})
