import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sampleTicket } from '../support/items'
import { startTestServer, type TestServer, testTokens } from '../support/test-server'

// Issue #15 item 1: batch uploads that send a thousand items and then trickle held every
// database connection, and health and KPIs timed out for minutes. Now a stream's transaction
// waits at most 2 s for the client, and health and KPI reads have a pool of their own.
let server: TestServer
const uploads: http.ClientRequest[] = []
beforeAll(async () => {
  server = await startTestServer({ INGEST_RATE_LIMIT: '100000' })
})
afterAll(async () => {
  for (const u of uploads) u.destroy()
  await server?.stop()
})

/** An NDJSON batch that sends `items` lines at once, then one byte every second. */
function trickle(url: string, n: number, items: number) {
  const target = new URL(`${url}/api/v1/feeds/tickets`)
  const req = http.request(target, {
    method: 'POST',
    headers: { authorization: `Bearer ${testTokens.feed}`, 'content-type': 'application/x-ndjson' },
  })
  req.on('error', () => {})
  uploads.push(req)
  const lines = Array.from({ length: items }, (_, i) => JSON.stringify(sampleTicket(`slow-${n}-${i}`)))
  req.write(`${lines.join('\n')}\n`)
  const timer = setInterval(() => req.write(' '), 1000)
  req.on('close', () => clearInterval(timer))
  return req
}

async function latencies(path: string, times: number, token?: string): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < times; i++) {
    const started = performance.now()
    const res = await fetch(`${server.url}${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    })
    await res.arrayBuffer()
    expect(res.status).toBe(200)
    out.push(performance.now() - started)
  }
  return out
}

const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.99) - 1]!

describe('50 slow uploads from one key', () => {
  it('leave health and KPIs answering fast, and store nothing while they stall', async () => {
    for (let n = 0; n < 50; n++) trickle(server.url, n, 1100)
    // Let them arrive, validate and stall past the 2 s a transaction may wait for them.
    await new Promise((resolve) => setTimeout(resolve, 5000))
    const [health, kpis] = await Promise.all([
      latencies('/api/v1/health', 60),
      latencies('/api/v1/kpis', 60, testTokens.display),
    ])
    expect(p99(health)).toBeLessThan(200)
    expect(p99(kpis)).toBeLessThan(200)
    // No upload holds a transaction open while it trickles.
    const [open] = await server.db.sql`
      select count(*)::int as n from pg_stat_activity
      where datname = current_database() and state like 'idle in transaction%'`
    expect(open!.n).toBe(0)
    const [stored] = await server.db.sql`select count(*)::int as n from tickets where ref like 'slow-%'`
    expect(stored!.n).toBe(0)
  }, 60_000)
  it('a batch that stalled past 2 s and then completes is stored whole', async () => {
    const target = new URL(`${server.url}/api/v1/feeds/tickets`)
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        target,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${testTokens.feed}`, 'content-type': 'application/x-ndjson' },
        },
        (res) => {
          let body = ''
          res.on('data', (d) => (body += d))
          res.on('end', () => resolve({ status: res.statusCode!, body }))
        },
      )
      req.on('error', reject)
      const line = (i: number) => JSON.stringify(sampleTicket(`late-${i}`))
      req.write(`${Array.from({ length: 1100 }, (_, i) => line(i)).join('\n')}\n`)
      setTimeout(() => {
        req.end(`${Array.from({ length: 100 }, (_, i) => line(1100 + i)).join('\n')}\n`)
      }, 3000)
    })
    const { status, body } = await answer
    expect(status).toBe(200)
    expect(JSON.parse(body)).toMatchObject({ created: 1200, rejected: [] })
    const [stored] = await server.db.sql`select count(*)::int as n from tickets where ref like 'late-%'`
    expect(stored!.n).toBe(1200)
  }, 30_000)
})
