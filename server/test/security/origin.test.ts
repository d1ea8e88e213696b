import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { refusedOrigin } from '../../src/http/origin'
import { connected, connectLive } from '../live/support'
import { requestJson } from '../support/http'
import { startTestServer, type TestServer, testTokens } from '../support/test-server'

// docs/design.md §5: cookies are not a capability for other sites; JSON endpoints take only JSON.
let server: TestServer
let cookie: string
const evil = 'http://evil.example'
const partner = 'https://portal.city.example'
beforeAll(async () => {
  server = await startTestServer({ ALLOWED_ORIGINS: `${partner}/` })
  // An admin opens a browser session (the wall/leader token exchange).
  const res = await requestJson(`${server.url}/api/v1/session`, { body: { token: testTokens.admin } })
  cookie = res.headers.get('set-cookie')!.split(';')[0]!
})
afterAll(() => server?.stop())

const tokenCount = async () => {
  const [row] = await server.db.sql<{ n: number }[]>`select count(*)::int as n from access_tokens`
  return row!.n
}
const createToken = (headers: Record<string, string>, token?: string) =>
  requestJson(`${server.url}/api/v1/tokens`, { headers, token, body: { role: 'display', label: 'csrf' } })

describe('cookie-authenticated state changes', () => {
  it('are refused from a foreign Origin with 403 naming it, and nothing is created', async () => {
    const before = await tokenCount()
    const res = await createToken({ cookie, origin: evil })
    expect(res.status).toBe(403)
    expect(res.body.error).toMatchObject({ code: 'foreign_origin', field: 'origin' })
    expect(res.body.error.message).toContain(evil)
    expect(await tokenCount()).toBe(before)
    // The same from a foreign Referer without Origin, or a browser that says cross-site.
    expect((await createToken({ cookie, referer: `${evil}/page?x=1` })).status).toBe(403)
    expect((await createToken({ cookie, 'sec-fetch-site': 'cross-site' })).status).toBe(403)
    expect((await createToken({ cookie, origin: 'null' })).status).toBe(403)
    // A sibling port is another origin (SameSite=Lax would have let it through).
    const port = new URL(server.url).port
    const sibling = `http://127.0.0.1:${Number(port) + 1}`
    expect((await createToken({ cookie, origin: sibling })).status).toBe(403)
    const revoke = await requestJson(`${server.url}/api/v1/tokens/1`, {
      method: 'DELETE',
      headers: { cookie, origin: evil },
    })
    expect(revoke.status).toBe(403)
    const logout = await requestJson(`${server.url}/api/v1/session`, {
      method: 'DELETE',
      headers: { cookie, origin: evil },
    })
    expect(logout.status).toBe(403)
  })

  it('are accepted from the own origin, an ALLOWED_ORIGINS one, or a non-browser client', async () => {
    expect((await createToken({ cookie, origin: server.url })).status).toBe(201)
    expect((await createToken({ cookie, origin: partner })).status).toBe(201)
    expect((await createToken({ cookie, origin: server.url, 'sec-fetch-site': 'same-origin' })).status).toBe(
      201,
    )
    // Neither Origin nor Referer: curl with a cookie, never a page acting for its user.
    expect((await createToken({ cookie })).status).toBe(201)
  })

  it('leaves bearer-token calls alone, whatever their Origin', async () => {
    expect((await createToken({ origin: evil, cookie }, testTokens.admin)).status).toBe(201)
    expect((await createToken({ origin: evil }, testTokens.admin)).status).toBe(201)
  })
})

describe('JSON endpoints', () => {
  it('refuse JSON sent as text/plain with 415 instead of parsing it', async () => {
    const before = await tokenCount()
    const plain = { 'content-type': 'text/plain' }
    const tokens = await createToken(plain, testTokens.admin)
    expect(tokens.status).toBe(415)
    expect(tokens.body.error.code).toBe('unsupported_media_type')
    expect(await tokenCount()).toBe(before)
    const login = await requestJson(`${server.url}/api/v1/login`, {
      headers: plain,
      body: { name: 'x', password: 'y' },
    })
    expect(login.status).toBe(415)
    const session = await requestJson(`${server.url}/api/v1/session`, {
      headers: plain,
      body: { token: testTokens.admin },
    })
    expect(session.status).toBe(415)
    expect(session.headers.get('set-cookie')).toBeNull()
    const snapshot = await requestJson(`${server.url}/api/v1/snapshots`, {
      headers: plain,
      token: testTokens.leader,
      body: { view: 'city', filters: { from: '2026-11-28', to: '2026-11-28' } },
    })
    expect(snapshot.status).toBe(415)
    const form = await requestJson(`${server.url}/api/v1/tokens`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      token: testTokens.admin,
      body: 'role=admin',
    })
    expect(form.status).toBe(415)
    // With a charset it is still JSON.
    const json = await createToken({ 'content-type': 'application/json; charset=utf-8' }, testTokens.admin)
    expect(json.status).toBe(201)
  })
})

describe('the socket.io handshake', () => {
  const attempt = async (headers: Record<string, string>, token?: string) => {
    const r = connectLive(server.url, { headers, token })
    try {
      await connected(r)
      return 'connected'
    } catch (error) {
      return (error as Error).message
    } finally {
      r.close()
    }
  }

  it('refuses a session cookie from a foreign Origin, accepts the own one', async () => {
    expect(await attempt({ cookie, origin: evil })).toMatch(/^forbidden: Origin http:\/\/evil\.example/)
    expect(await attempt({ cookie, origin: server.url })).toBe('connected')
    expect(await attempt({ cookie, origin: partner })).toBe('connected')
    // A token in auth is not a cookie: another site cannot borrow it.
    expect(await attempt({ origin: evil }, testTokens.display)).toBe('connected')
  })
})

describe('refusedOrigin', () => {
  const facts = { host: 'ioc.city.example', https: true }
  it('compares scheme, host and port, ignoring default ports', () => {
    expect(refusedOrigin({ ...facts, origin: 'https://ioc.city.example' }, [])).toBeNull()
    expect(refusedOrigin({ ...facts, origin: 'https://ioc.city.example:443' }, [])).toBeNull()
    expect(refusedOrigin({ ...facts, origin: 'http://ioc.city.example' }, [])).toBe('http://ioc.city.example')
    expect(refusedOrigin({ ...facts, origin: 'https://a.city.example' }, [])).toBe('https://a.city.example')
    expect(
      refusedOrigin({ ...facts, origin: 'https://a.city.example' }, ['https://a.city.example']),
    ).toBeNull()
    expect(refusedOrigin({ ...facts, fetchSite: 'same-site' }, [])).toBe('(Sec-Fetch-Site: same-site)')
    expect(refusedOrigin({ ...facts, fetchSite: 'none' }, [])).toBeNull()
  })
})
