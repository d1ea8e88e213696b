import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getJson, requestJson } from '../support/http'
import { startTestServer, type TestServer, testFeedSource, testTokens } from '../support/test-server'
import { referenceKpis } from './reference'
import { incrementalAndRebuilt } from './rollup-check'

// The public ingest path (HTTP feeds, upsert rules, stale updates) keeps the rollups exact too.
let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server?.stop())

const post = (feed: string, items: unknown[]) =>
  requestJson(`${server.url}/api/v1/feeds/${feed}`, { token: testTokens.feed, body: items })

const item = (ref: string, updatedAt: string, fields: Record<string, unknown>) => ({
  source: testFeedSource,
  ref,
  updatedAt,
  category: 'waste',
  title: `Rác ${ref}`,
  location: { lat: 10.93, lng: 108.1 },
  wardCode: '22930',
  receivedAt: '2026-03-01T08:00:00+07:00',
  status: 'received',
  ...fields,
})

describe('KPIs through the ingest API', () => {
  it('match the raw rows after creates, an open→resolved update and a stale update', async () => {
    const v1 = '2026-03-01T09:00:00+07:00'
    const v2 = '2026-03-01T12:00:00+07:00'
    expect(
      (
        await post('tickets', [
          item('a', v1, {}),
          item('b', v1, { receivedAt: '2026-03-01T23:30:00+07:00' }),
          item('c', v1, { status: 'rejected', receivedAt: '2026-03-01T10:00:00+07:00' }),
        ])
      ).status,
    ).toBe(200)
    await post('tickets', [item('a', v2, { status: 'resolved', resolvedAt: '2026-03-01T11:00:00+07:00' })])
    const stale = await post('tickets', [item('a', v1, { status: 'in_progress' })])
    expect(stale.body.ignored).toBe(1)

    const from = new Date('2026-03-01T00:00:00+07:00')
    const to = new Date('2026-03-02T00:00:00+07:00')
    const query = new URLSearchParams({ from: from.toISOString(), to: to.toISOString() })
    const api = await getJson(`${server.url}/api/v1/kpis?${query}`, testTokens.display)
    expect(api.body.tickets).toMatchObject({ received: 3, resolved: 1, resolvedOnTime: 1, open: 1 })
    const { medianResolveMinutes, ...counts } = api.body.tickets
    const { medianResolveMinutes: exact, ...exactCounts } = (await referenceKpis(server.db.sql, from, to, {}))
      .tickets
    expect(counts).toEqual(exactCounts)
    expect(Math.abs(medianResolveMinutes - exact!)).toBeLessThanOrEqual(0.01 * exact! + 1 / 60)
    const { incremental, rebuilt } = await incrementalAndRebuilt(server.db.sql)
    expect(incremental).toEqual(rebuilt)
  })
})
