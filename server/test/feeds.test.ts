import type { FeedName } from '@citydeck/shared'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { feedNames, feedTables, invalidItem, validItem } from './feeds-arbitraries'
import { requestJson } from './support/http'
import { sampleTicket } from './support/items'
import { startTestServer, type TestServer, testTokens } from './support/test-server'

let server: TestServer
let run = 0
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server?.stop())

const post = (
  feed: FeedName,
  body: unknown,
  contentType = 'application/json',
  token: string = testTokens.feed,
) =>
  requestJson(`${server.url}/api/v1/feeds/${feed}`, {
    method: 'POST',
    body,
    token,
    headers: { 'content-type': contentType },
  })
const ndjson = (items: unknown[]) => items.map((i) => JSON.stringify(i)).join('\n')

const refs = (count: number) => fc.integer({ min: 0, max: count - 1 }).map(String)
/** Puts a property run's items in a ref namespace of their own, so runs do not see each other's rows. */
function namespaced<T extends Record<string, unknown>>(items: T[], letter: string) {
  const prefix = `${letter}${run++}-`
  return { prefix, items: items.map((i) => ({ ...i, ref: `${prefix}${i.ref}` })) }
}

async function rowsLike(feed: FeedName, prefix: string) {
  return server.db.sql`select * from ${server.db.sql(feedTables[feed])} where ref like ${`${prefix}%`}`
}
async function logged(prefix: string) {
  const [row] = await server.db.sql`select count(*)::int as n from change_log where ref like ${`${prefix}%`}`
  return row!.n as number
}

describe.each(feedNames)('POST /api/v1/feeds/%s (properties)', (feed) => {
  it('stores each distinct valid item exactly once, as one object, an array or NDJSON', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(validItem(feed, refs(1_000_000)), {
          minLength: 1,
          maxLength: 25,
          selector: (i) => i.ref,
        }),
        fc.constantFrom('single', 'array', 'ndjson'),
        async (raw, shape) => {
          const { prefix, items } = namespaced(raw, 'v')
          const res =
            shape === 'single'
              ? await post(feed, items[0])
              : shape === 'array'
                ? await post(feed, items)
                : await post(feed, ndjson(items), 'application/x-ndjson')
          const sent = shape === 'single' ? 1 : items.length
          expect(res.status).toBe(shape === 'single' ? 201 : 200)
          expect(res.body).toMatchObject({ created: sent, updated: 0, ignored: 0, rejected: [] })
          expect(await rowsLike(feed, prefix)).toHaveLength(sent)
          expect(await logged(prefix)).toBe(sent)
        },
      ),
      { numRuns: 12 },
    )
  })

  it('answers an invalid item with 422 naming the field, and stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(invalidItem(feed, refs(10)), async ({ item: raw, field }) => {
        const { prefix, items } = namespaced([raw], 'i')
        const item = items[0]!
        const res = await post(feed, item)
        expect(res.status).toBe(422)
        expect(res.body.error.field).toBe(field)
        expect(res.body.error.message).toContain(field)
        expect(await rowsLike(feed, prefix)).toHaveLength(0)
        expect(await logged(prefix)).toBe(0)
      }),
      { numRuns: 15 },
    )
  })

  it('reaches the in-order final state from shuffled, duplicated, late and concurrent deliveries', async () => {
    const history = fc
      .uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 6 })
      .chain((minutes) =>
        fc.tuple(
          ...minutes.map((m) =>
            validItem(
              feed,
              fc.integer({ min: 0, max: 3 }).map(String),
              fc.constant(new Date(Date.UTC(2026, 10, 28, 0, m)).toISOString()),
            ),
          ),
        ),
      )
    await fc.assert(
      fc.asyncProperty(history, fc.integer({ min: 1, max: 4 }), fc.nat(), async (versions, parts, seed) => {
        const ns = `h${run++}-`
        const label = (prefix: string) => versions.map((v) => ({ ...v, ref: `${ns}${prefix}${v.ref}` }))
        const inOrder = label('o').sort((a, b) =>
          (a.updatedAt as string).localeCompare(b.updatedAt as string),
        )
        for (const item of inOrder) expect((await post(feed, item)).status).toBeLessThan(300)

        const messy = fc.sample(
          fc.shuffledSubarray([...label('m'), ...label('m')], { minLength: versions.length * 2 }),
          { seed, numRuns: 1 },
        )[0]!
        const batches = Array.from({ length: parts }, (_, p) => messy.filter((_, i) => i % parts === p))
        const results = await Promise.all(batches.map((b) => post(feed, ndjson(b), 'application/x-ndjson')))
        for (const r of results) expect(r.status).toBe(200)

        const state = async (prefix: string) =>
          (
            await server.db.sql`
              select to_jsonb(t) - 'ref' - 'ingested_at' - 'content_hash' as row, substr(t.ref, ${ns.length + 2}) as key
              from ${server.db.sql(feedTables[feed])} t where ref like ${`${ns}${prefix}%`} order by key`
          ).map((r) => [r.key, r.row])
        expect(await state('m')).toEqual(await state('o'))
        const accepted = results.reduce((n, r) => n + r.body.created + r.body.updated, 0)
        expect(await logged(`${ns}m`)).toBe(accepted)
      }),
      { numRuns: 10 },
    )
  })
})

describe('POST /api/v1/feeds: the HTTP contract', () => {
  const ticket = sampleTicket

  it('creates (201), then updates or ignores (200) a single object, deriving dueAt and wardCode', async () => {
    expect((await post('tickets', ticket('c1'))).status).toBe(201)
    const newer = ticket('c1', { updatedAt: '2026-11-28T09:00:00+07:00', status: 'assigned' })
    expect(await post('tickets', newer)).toMatchObject({ status: 200, body: { updated: 1 } })
    expect(await post('tickets', ticket('c1'))).toMatchObject({ status: 200, body: { ignored: 1 } })
    const [row] = await server.db.sql`select status, ward_code, due_at from tickets where ref = 'c1'`
    expect(row).toMatchObject({ status: 'assigned', ward_code: '22930' })
    expect((row!.due_at as Date).toISOString()).toBe('2026-11-28T09:00:00.000Z')
  })

  it('warns about a location far outside the city and stores it without a ward', async () => {
    const res = await post('tickets', [ticket('c2', { location: { lat: 10.5, lng: 107.5 } })])
    expect(res.body.warnings).toEqual([
      { index: 0, field: 'location', message: expect.stringContaining('outside') },
    ])
    const [row] = await server.db.sql`select ward_code from tickets where ref = 'c2'`
    expect(row!.ward_code).toBeNull()
  })

  it('reports bad items of a batch by index, NDJSON line and field, and stores the good ones', async () => {
    const body = [
      JSON.stringify(ticket('c3')),
      '',
      '{not json',
      JSON.stringify(ticket('c4', { category: 'karaoke' })),
    ].join('\n')
    const res = await post('tickets', body, 'application/x-ndjson')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ created: 1 })
    expect(res.body.rejected).toEqual([
      { index: 1, line: 3, field: '', message: expect.stringContaining('not valid JSON') },
      { index: 2, line: 4, field: 'category', message: expect.stringContaining('karaoke') },
    ])
  })

  it('refuses a NUL character (which PostgreSQL text cannot hold) with 422 naming the field', async () => {
    const single = await post('tickets', ticket('c5', { title: 'Rác\u0000tồn đọng' }))
    expect(single.status).toBe(422)
    expect(single.body.error).toMatchObject({ field: 'title', message: expect.stringContaining('NUL') })
    const batch = await post('tickets', [ticket('c6'), ticket('c7', { reporter: { name: 'A\u0000' } })])
    expect(batch.status).toBe(200)
    expect(batch.body).toMatchObject({ created: 1, rejected: [{ index: 1, field: 'reporter.name' }] })
    const rows = await server.db.sql`select ref from tickets where ref in ('c5', 'c6', 'c7')`
    expect(rows.map((r) => r.ref)).toEqual(['c6'])
  })

  it('answers malformed bodies with 400, wrong types with 415 and oversized batches with 413, storing nothing', async () => {
    expect(await post('tickets', '{"source": ')).toMatchObject({
      status: 400,
      body: { error: { code: 'malformed' } },
    })
    expect((await post('tickets', '"a string"')).status).toBe(400)
    expect((await post('tickets', `[${JSON.stringify(ticket('c5'))}`)).status).toBe(400)
    expect((await post('tickets', ticket('c5'), 'text/plain')).status).toBe(415)
    const many = Array.from({ length: 10_001 }, (_, i) => ticket(`big-${i}`))
    expect((await post('tickets', ndjson(many), 'application/x-ndjson')).status).toBe(413)
    expect(await rowsLike('tickets', 'big-')).toHaveLength(0)
    expect(await rowsLike('tickets', 'c5')).toHaveLength(0)
  })

  it('refuses a whole batch with 403 when one item is of another source', async () => {
    const res = await post('tickets', [ticket('d1'), ticket('d2', { source: 'someone-else' })])
    expect(res).toMatchObject({ status: 403, body: { error: { field: 'source' } } })
    expect(await rowsLike('tickets', 'd')).toHaveLength(0)
    // An admin may ingest any source.
    expect(
      (await post('tickets', ticket('d3', { source: 'someone-else' }), 'application/json', testTokens.admin))
        .status,
    ).toBe(201)
  })

  it('lets only feed and admin keys ingest', async () => {
    expect((await post('tickets', ticket('e1'), 'application/json', testTokens.display)).status).toBe(403)
    expect((await post('tickets', ticket('e1'), 'application/json', testTokens.leader)).status).toBe(403)
    expect((await post('tickets', ticket('e1'), 'application/json', 'nope')).status).toBe(401)
    expect((await post('karaoke' as FeedName, ticket('e1'))).status).toBe(404)
  })
})

describe('ingest rate limit', () => {
  it('answers 429 with Retry-After beyond INGEST_RATE_LIMIT requests a minute per token', async () => {
    const limited = await startTestServer({ INGEST_RATE_LIMIT: '2' })
    try {
      const send = (token: string) => requestJson(`${limited.url}/api/v1/feeds/tickets`, { token, body: [] })
      expect((await send(testTokens.feed)).status).toBe(200)
      expect((await send(testTokens.feed)).status).toBe(200)
      const third = await send(testTokens.feed)
      expect(third.status).toBe(429)
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0)
      expect((await send(testTokens.admin)).status).toBe(200)
    } finally {
      await limited.stop()
    }
  })
})
