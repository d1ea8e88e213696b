import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../support/test-server'

// docs/design.md §5: every response carries security headers.
let server: TestServer
let framed: TestServer
beforeAll(async () => {
  server = await startTestServer({ TRUSTED_PROXIES: '10.9.9.9' })
  framed = await startTestServer({
    FRAME_ANCESTORS: "'self' https://portal.city.example",
    TRUSTED_PROXIES: '127.0.0.1,::1',
  })
})
afterAll(async () => {
  await server?.stop()
  await framed?.stop()
})

/** Parses a CSP header into directive → sources. */
function csp(header: string | null): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const part of (header ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/)
    if (name) out[name] = sources
  }
  return out
}

describe('security headers', () => {
  const paths = [
    ['GET', '/'],
    ['GET', '/wall?token=abc'],
    ['GET', '/api/v1/health'],
    ['GET', '/api/v1/kpis'], // 401
    ['GET', '/api/v1/nothing'], // 404
    ['POST', '/api/v1/login'], // 415
    ['GET', '/open311/v2/services.json'],
    ['GET', '/api/docs'],
    ['GET', '/api/v1/openapi.json'],
    ['GET', '/metrics'],
  ] as const

  it('are on every response: CSP without inline scripts, nosniff, no-referrer, no framing', async () => {
    for (const [method, path] of paths) {
      const res = await fetch(`${server.url}${path}`, { method })
      const policy = csp(res.headers.get('content-security-policy'))
      expect(policy['script-src']?.[0], path).toBe("'self'")
      expect(policy['script-src'], path).not.toContain("'unsafe-inline'")
      expect(policy['default-src'], path).toEqual(["'self'"])
      expect(policy['object-src'], path).toEqual(["'none'"])
      expect(policy['frame-ancestors'], path).toEqual(["'none'"])
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff')
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer')
      expect(res.headers.get('x-frame-options'), path).toBe('DENY')
      // Plain HTTP: no HSTS.
      expect(res.headers.get('strict-transport-security'), path).toBeNull()
      await res.arrayBuffer()
    }
  })

  it('make exceptions (inline styles, eval; never inline scripts) only on the API reference page', async () => {
    for (const path of ['/wall', '/', '/api/v1/health', '/api/docsx']) {
      const app = csp((await fetch(`${server.url}${path}`)).headers.get('content-security-policy'))
      expect(app['style-src'], path).toEqual(["'self'"])
      expect(app['script-src'], path).toEqual(["'self'"])
    }
    const docs = csp((await fetch(`${server.url}/api/docs`)).headers.get('content-security-policy'))
    expect(docs['style-src']).toEqual(["'self'", "'unsafe-inline'"])
    expect(docs['script-src']).toEqual(["'self'", "'unsafe-eval'"])
  })

  it('serve the API reference without an inline script', async () => {
    const html = await (await fetch(`${server.url}/api/docs`)).text()
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
    expect(scripts.length).toBeGreaterThan(0)
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/api\/docs\//)
      expect(body!.trim()).toBe('')
    }
  })

  it('send HSTS only when a trusted proxy says the request came over HTTPS', async () => {
    // The peer (127.0.0.1) is not a trusted proxy of `server`: its X-Forwarded-Proto is ignored.
    const spoofed = await fetch(`${server.url}/api/v1/health`, { headers: { 'x-forwarded-proto': 'https' } })
    expect(spoofed.headers.get('strict-transport-security')).toBeNull()
    const proxied = await fetch(`${framed.url}/api/v1/health`, { headers: { 'x-forwarded-proto': 'https' } })
    expect(proxied.headers.get('strict-transport-security')).toMatch(/^max-age=\d{7,}/)
    const plain = await fetch(`${framed.url}/api/v1/health`)
    expect(plain.headers.get('strict-transport-security')).toBeNull()
  })

  it('let FRAME_ANCESTORS name who may embed the wall, without a contradicting X-Frame-Options', async () => {
    const res = await fetch(`${framed.url}/wall`)
    expect(csp(res.headers.get('content-security-policy'))['frame-ancestors']).toEqual([
      "'self'",
      'https://portal.city.example',
    ])
    expect(res.headers.get('x-frame-options')).toBeNull()
  })
})
