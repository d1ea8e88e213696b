import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientRoutes } from '../src/http/static'

// A built client in miniature: an asset with the brotli and gzip copies the build writes.
let dist: string
const script = `export const wall = ${JSON.stringify('Phường Phú Trinh '.repeat(200))}\n`
beforeAll(async () => {
  dist = await mkdtemp(path.join(tmpdir(), 'citydeck-static-'))
  await mkdir(path.join(dist, 'assets'))
  await writeFile(path.join(dist, 'index.html'), '<!doctype html><title>citydeck</title>')
  await writeFile(path.join(dist, 'assets', 'wall-abc123.js'), script)
  await writeFile(path.join(dist, 'assets', 'wall-abc123.js.br'), brotliCompressSync(script))
  await writeFile(path.join(dist, 'assets', 'wall-abc123.js.gz'), gzipSync(script))
})
afterAll(async () => {
  await rm(dist, { recursive: true, force: true })
})

const get = (url: string, headers: Record<string, string> = {}) =>
  clientRoutes(dist).request(url, { headers })

describe('the built client', () => {
  it('sends the brotli copy of an asset to a browser that accepts it, cached for a year', async () => {
    const res = await get('/assets/wall-abc123.js', { 'accept-encoding': 'gzip, deflate, br, zstd' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-encoding')).toBe('br')
    expect(res.headers.get('vary')).toContain('Accept-Encoding')
    expect(res.headers.get('content-type')).toMatch(/javascript/)
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    const body = Buffer.from(await res.arrayBuffer())
    expect(Number(res.headers.get('content-length'))).toBe(body.length)
    expect(body.length).toBeLessThan(Buffer.byteLength(script) / 10)
    expect(brotliDecompressSync(body).toString()).toBe(script)
  })

  it('sends gzip to a browser without brotli, and the file as built to one that accepts neither', async () => {
    const gz = await get('/assets/wall-abc123.js', { 'accept-encoding': 'gzip' })
    expect(gz.headers.get('content-encoding')).toBe('gzip')
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(script)
    const plain = await get('/assets/wall-abc123.js')
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(await plain.text()).toBe(script)
  })

  it('answers an asset that is not there with 404, not with the page', async () => {
    const res = await get('/assets/wall-old999.js', { 'accept-encoding': 'br' })
    expect(res.status).toBe(404)
    expect(res.headers.get('cache-control')).toBeNull()
  })

  it('answers a client route with index.html, never cached', async () => {
    const res = await get('/wall?scene=overview')
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-cache')
    expect(await res.text()).toContain('<title>citydeck</title>')
  })
})
