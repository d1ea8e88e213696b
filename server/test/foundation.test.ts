import { existsSync } from 'node:fs'
import path from 'node:path'
import { liveNamespace } from '@citydeck/shared'
import { io } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot } from '../src/config'
import { getJson } from './support/http'
import { startTestServer, type TestServer, testTokens } from './support/test-server'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server?.stop())

describe('foundation', () => {
  it('reports process, database and migration status on /api/v1/health (details for admins)', async () => {
    const { status, body } = await getJson(`${server.url}/api/v1/health`, testTokens.admin)
    expect(status).toBe(200)
    expect(body.status).toBe('up')
    expect(body.database.status).toBe('up')
    expect(body.process.pid).toBe(process.pid)
    expect(body.migrations.applied).toContain('20261203T0000_squash.sql')
    expect(body.migrations.pending).toEqual([])
  })

  it('serves Prometheus metrics for HTTP, the database pool and sockets', async () => {
    await fetch(`${server.url}/api/v1/health`)
    const res = await fetch(`${server.url}/metrics`, {
      headers: { authorization: `Bearer ${testTokens.admin}` },
    })
    expect(res.headers.get('content-type')).toMatch(/text\/plain/)
    const text = await res.text()
    expect(text).toMatch(
      /citydeck_http_requests_total\{method="GET",route="\/api\/v1\/health",status="200"\} \d+/,
    )
    expect(text).toMatch(/citydeck_db_pool_connections\{state="\w+"\} \d+/)
    expect(text).toContain('citydeck_db_pool_max 10')
    expect(text).toContain('# TYPE citydeck_live_clients gauge')
  })

  it('serves the city profile and all 18 ward polygons', async () => {
    const { body } = await getJson(`${server.url}/api/v1/city`)
    expect(body.profile.name).toBe('Thành phố Phan Thiết')
    expect(body.profile.timeZone).toBe('Asia/Ho_Chi_Minh')
    expect(body.wards.features).toHaveLength(18)
    const phuTrinh = body.wards.features.find(
      (f: { properties: { code: string } }) => f.properties.code === '22930',
    )
    expect(phuTrinh.properties.name).toBe('Phường Phú Trinh')
    expect(body.mapStyleUrl).toBeNull()
  })

  it('answers unknown API paths with a JSON 404', async () => {
    const { status, body } = await getJson(`${server.url}/api/v1/nothing-here`)
    expect(status).toBe(404)
    expect(body.error.code).toBe('not_found')
  })

  it('serves the built client with an SPA fallback and JavaScript modules', async () => {
    // `npm test` builds the client first.
    expect(existsSync(path.join(repoRoot, 'client/dist/index.html'))).toBe(true)
    {
      const page = await fetch(`${server.url}/wall`)
      expect(page.status).toBe(200)
      const html = await page.text()
      expect(html).toContain('<div id="app">')
      const script = html.match(/src="(\/assets\/[^"]+\.js)"/)?.[1]
      expect(script).toBeTruthy()
      const js = await fetch(`${server.url}${script}`)
      expect(js.headers.get('content-type')).toMatch(/javascript/)
      // The build wrote compressed copies (client/vite.config.ts); a browser gets brotli.
      const compressed = await fetch(`${server.url}${script}`, { headers: { 'accept-encoding': 'br' } })
      expect(compressed.headers.get('content-encoding')).toBe('br')
      expect(compressed.headers.get('cache-control')).toContain('immutable')
      expect(await compressed.text()).toBe(await js.text())
    }
  })

  it('accepts socket.io connections on the same port', async () => {
    const socket = io(`${server.url}${liveNamespace}`, {
      transports: ['websocket'],
      reconnection: false,
      auth: { token: testTokens.display },
    })
    await new Promise<void>((resolve, reject) => {
      socket.on('connect', () => resolve())
      socket.on('connect_error', reject)
    })
    expect(socket.connected).toBe(true)
    socket.close()
  })
})
