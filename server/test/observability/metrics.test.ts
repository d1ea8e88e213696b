import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connected, connectLive, ingest, type Recorder, ticket, until } from '../live/support'
import { startTestServer, type TestServer, testTokens } from '../support/test-server'

let server: TestServer
const sockets: Recorder[] = []
beforeAll(async () => {
  server = await startTestServer({ INGEST_RATE_LIMIT: '100000' })
})
afterAll(async () => {
  for (const s of sockets) s.close()
  await server?.stop()
})

const scrape = async () => {
  const res = await fetch(`${server.url}/metrics`, {
    headers: { authorization: `Bearer ${testTokens.admin}` },
  })
  expect(res.status).toBe(200)
  return res.text()
}
/** The value of one sample (`name{labels}`), or undefined when it is not exposed. */
const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString()

describe('operator metrics (docs/design.md §11)', () => {
  it('counts ingested items by feed and outcome at every door: JSON, NDJSON, Open311', async () => {
    const first = ticket('m-1')
    await ingest(server.url, [first, ticket('m-2')])
    // A repeat of a stored version (ignored) and a newer version (updated).
    await ingest(server.url, [first, ticket('m-2', { updatedAt: inSeconds(5), title: 'changed' })])
    // One bad item in a batch (rejected alone) and one line that is not JSON at all.
    const ndjson = [
      JSON.stringify(ticket('m-3')),
      JSON.stringify({ ...ticket('m-4'), category: 'nope' }),
      '{oops',
    ]
    const batch = await fetch(`${server.url}/api/v1/feeds/tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${testTokens.feed}`, 'content-type': 'application/x-ndjson' },
      body: ndjson.join('\n'),
    })
    expect(batch.status).toBe(200)
    const open311 = await fetch(`${server.url}/open311/v2/requests.json`, {
      method: 'POST',
      body: new URLSearchParams({
        api_key: testTokens.feed,
        service_code: 'lighting',
        lat: '10.932',
        long: '108.1',
        description: 'Đèn đường hỏng',
      }),
    })
    expect(open311.status).toBeLessThan(300)

    const text = await scrape()
    expect(sample(text, 'citydeck_ingest_items_total{feed="tickets",outcome="created"}')).toBe(4)
    expect(sample(text, 'citydeck_ingest_items_total{feed="tickets",outcome="updated"}')).toBe(1)
    expect(sample(text, 'citydeck_ingest_items_total{feed="tickets",outcome="ignored"}')).toBe(1)
    expect(sample(text, 'citydeck_ingest_items_total{feed="tickets",outcome="rejected"}')).toBe(2)
  })

  it('counts live clients by role and the pool connections of this process only', async () => {
    const display = connectLive(server.url, { token: testTokens.display })
    const leader = connectLive(server.url, { token: testTokens.leader })
    sockets.push(display, leader)
    await Promise.all([connected(display), connected(leader)])
    let text = await scrape()
    expect(sample(text, 'citydeck_live_clients{role="display"}')).toBe(1)
    expect(sample(text, 'citydeck_live_clients{role="leader"}')).toBe(1)
    display.close()
    for (let i = 0; i < 50; i++) {
      text = await scrape()
      if (sample(text, 'citydeck_live_clients{role="display"}') === 0) break
      await new Promise((r) => setTimeout(r, 100))
    }
    expect(sample(text, 'citydeck_live_clients{role="display"}')).toBe(0)

    // This process's connections, told from others' by the pid in their application_name.
    const idle = sample(text, 'citydeck_db_pool_connections{state="idle"}') ?? 0
    const active = sample(text, 'citydeck_db_pool_connections{state="active"}') ?? 0
    const [own] = await server.db.sql<{ n: number }[]>`
      select count(*)::int as n from pg_stat_activity where application_name like ${`citydeck%/${process.pid}`}`
    expect(idle + active).toBeGreaterThan(0)
    expect(idle + active).toBeLessThanOrEqual(own!.n)
  })

  it('exposes the live tail lag, the KPI pending rows, and alerts raised by kind', async () => {
    const wall = connectLive(server.url, { token: testTokens.display })
    sockets.push(wall)
    await connected(wall)
    await wall.subscribe({ scope: {} })
    await ingest(server.url, [ticket('m-late', { dueAt: inSeconds(-60), receivedAt: inSeconds(-3600) })])
    await until(() => wall.alerts.some((a) => a.id.endsWith(':m-late')), 'the overdue alert')
    const text = await scrape()
    expect(sample(text, 'citydeck_alerts_total{kind="ticket_overdue"}')).toBe(1)
    const lag = sample(text, 'citydeck_live_tail_lag_seconds')
    expect(lag).toBeGreaterThanOrEqual(0)
    expect(lag).toBeLessThan(5)
    const pending = sample(text, 'citydeck_kpi_pending_rows')
    expect(Number.isInteger(pending)).toBe(true)
    expect(pending).toBeGreaterThanOrEqual(0)
  })
})
