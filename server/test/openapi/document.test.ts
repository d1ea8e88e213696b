import { feedNames, feedSchemas } from '@citydeck/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../support/test-server'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server?.stop())

describe('OpenAPI document and reference page', () => {
  it('describes the feeds and read endpoints from the shared schemas, with valid examples', async () => {
    const res = await fetch(`${server.url}/api/v1/openapi.json`)
    expect(res.status).toBe(200)
    const doc = await res.json()
    expect(doc.openapi).toBe('3.1.0')
    for (const feed of feedNames) {
      const op = doc.paths[`/api/v1/feeds/${feed}`].post
      expect(Object.keys(op.requestBody.content)).toEqual(['application/json', 'application/x-ndjson'])
      expect(Object.keys(op.responses)).toEqual(
        expect.arrayContaining(['200', '201', '400', '403', '413', '415', '422', '429']),
      )
      // The example must be something the server accepts.
      expect(feedSchemas[feed].safeParse(op.requestBody.content['application/json'].example).success).toBe(
        true,
      )
    }
    const item = doc.components.schemas['tickets-item']
    expect(item.required).toEqual(
      expect.arrayContaining(['source', 'ref', 'updatedAt', 'category', 'title', 'status']),
    )
    expect(item.properties.status.enum).toContain('in_progress')
    for (const path of [
      '/api/v1/tickets',
      '/api/v1/dossiers',
      '/api/v1/tickets/{source}/{ref}',
      '/api/v1/tokens',
    ]) {
      expect(doc.paths[path]).toBeDefined()
    }
    const params = doc.paths['/api/v1/tickets'].get.parameters.map((p: { name: string }) => p.name)
    expect(params).toEqual(
      expect.arrayContaining(['ward', 'status', 'open', 'from', 'to', 'q', 'limit', 'cursor']),
    )
  })

  it('serves an interactive reference that loads nothing from another origin', async () => {
    const page = await fetch(`${server.url}/api/docs`)
    expect(page.status).toBe(200)
    const html = await page.text()
    const scripts = [...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1])
    // Both files: the page has no inline script (Content-Security-Policy, docs/security.md).
    expect(scripts).toEqual(['/api/docs/scalar.js', '/api/docs/start.js'])
    expect(html).not.toMatch(/https?:\/\//)
    const start = await (await fetch(`${server.url}/api/docs/start.js`)).text()
    expect(start).toContain('/api/v1/openapi.json')
    expect(start).not.toMatch(/https?:\/\//)
    const script = await fetch(`${server.url}/api/docs/scalar.js`)
    expect(script.status).toBe(200)
    expect(script.headers.get('content-type')).toContain('javascript')
    expect((await script.text()).length).toBeGreaterThan(100_000)
  })
})
