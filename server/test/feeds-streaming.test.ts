import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type JsonResponse, requestJson } from './support/http'
import { sampleTicket } from './support/items'
import { startTestServer, type TestServer, testTokens } from './support/test-server'

// A batch is written into its transaction while its body is still arriving; these tests hold a
// body open until the server has demonstrably written part of it (row locks on tickets in this
// database), then end it badly, and check that nothing of it remains.

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server?.stop())

const ticket = sampleTicket
const lines = (prefix: string, from: number, count: number) =>
  Array.from({ length: count }, (_, i) => JSON.stringify(ticket(`${prefix}${from + i}`)))

async function stored(prefix: string) {
  const [rows] = await server.db.sql`select count(*)::int as n from tickets where ref like ${`${prefix}%`}`
  const [log] = await server.db.sql`select count(*)::int as n from change_log where ref like ${`${prefix}%`}`
  return { rows: rows!.n as number, logged: log!.n as number }
}

/** Row locks held on tickets by another session of this database: an ingest transaction is open. */
async function openWrites(): Promise<number> {
  const [row] = await server.db.sql`
    select count(*)::int as n from pg_locks l join pg_class c on c.oid = l.relation
    where c.relname = 'tickets' and l.mode = 'RowExclusiveLock' and l.pid <> pg_backend_pid()
      and l.database = (select oid from pg_database where datname = current_database())`
  return row!.n
}
async function until(condition: () => Promise<boolean>) {
  while (!(await condition())) await new Promise((r) => setTimeout(r, 20))
}

/** A POST whose body is sent in parts: `send` more, then `end` (answer) or `abort`. */
function openPost(contentType: string, to: TestServer = server) {
  const req = http.request(`${to.url}/api/v1/feeds/tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${testTokens.feed}`, 'content-type': contentType },
  })
  const answer = new Promise<Pick<JsonResponse, 'status' | 'body'>>((resolve, reject) => {
    req.on('response', (res) => {
      let text = ''
      res.on('data', (c) => (text += c))
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }))
    })
    req.on('error', reject)
  })
  answer.catch(() => {})
  return {
    send: (text: string) => new Promise<void>((r) => req.write(text, () => r())),
    end: async (text = '') => {
      req.end(text)
      return answer
    },
    abort: () => req.destroy(),
    /** The answer, without ending the body. */
    answer,
  }
}

describe('a batch written while its body streams', () => {
  it('commits a complete batch, repeats across chunks applied in delivery order', async () => {
    const body = lines('s1-', 0, 2500)
    body.push(JSON.stringify(ticket('s1-5', { updatedAt: '2026-11-28T09:00:00+07:00', title: 'newer' })))
    const res = await requestJson(`${server.url}/api/v1/feeds/tickets`, {
      token: testTokens.feed,
      body: body.join('\n'),
      headers: { 'content-type': 'application/x-ndjson' },
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ created: 2500, updated: 1, ignored: 0, rejected: [] })
    expect(await stored('s1-')).toEqual({ rows: 2500, logged: 2501 })
    const [row] = await server.db.sql`select title from tickets where ref = 's1-5'`
    expect(row!.title).toBe('newer')
    // The repeat's change comes after the first version's, each with the item as then stored.
    const changes = await server.db.sql`
      select op, item->>'title' as title from change_log where ref = 's1-5' order by seq`
    expect(changes.map((c) => c.op)).toEqual(['created', 'updated'])
    expect(changes[1]!.title).toBe('newer')
    expect(changes[0]!.title).not.toBe('newer')
  })

  it('stores nothing when an item of another source comes after writing began (403)', async () => {
    const post = openPost('application/x-ndjson')
    await post.send(`${lines('s2-', 0, 2500).join('\n')}\n`)
    await until(async () => (await openWrites()) > 0)
    const res = await post.end(
      [JSON.stringify(ticket('s2-x', { source: 'someone-else' })), ...lines('s2-', 2500, 10)].join('\n'),
    )
    expect(res).toMatchObject({ status: 403, body: { error: { field: 'source' } } })
    expect(await stored('s2-')).toEqual({ rows: 0, logged: 0 })
  })

  it('stores nothing when the batch grows past 10,000 items after writing began (413)', async () => {
    const post = openPost('application/x-ndjson')
    await post.send(`${lines('s3-', 0, 2500).join('\n')}\n`)
    await until(async () => (await openWrites()) > 0)
    const res = await post.end(lines('s3-', 2500, 7501).join('\n'))
    expect(res).toMatchObject({ status: 413, body: { error: { code: 'too_large' } } })
    expect(await stored('s3-')).toEqual({ rows: 0, logged: 0 })
  })

  it('stores nothing when a JSON array is cut short after writing began (400)', async () => {
    const post = openPost('application/json')
    await post.send(`[${lines('s4-', 0, 2500).join(',')},`)
    await until(async () => (await openWrites()) > 0)
    const res = await post.end(lines('s4-', 2500, 3).join(','))
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'malformed' } } })
    expect(await stored('s4-')).toEqual({ rows: 0, logged: 0 })
  })

  it('stores nothing when the client goes away mid-body', async () => {
    const post = openPost('application/x-ndjson')
    await post.send(`${lines('s5-', 0, 2500).join('\n')}\n`)
    await until(async () => (await openWrites()) > 0)
    post.abort()
    await until(async () => (await openWrites()) === 0)
    expect(await stored('s5-')).toEqual({ rows: 0, logged: 0 })
  })
})

describe('a batch whose body stops arriving', () => {
  let impatient: TestServer
  beforeAll(async () => {
    impatient = await startTestServer({ INGEST_BODY_IDLE_SECONDS: '1' })
  })
  afterAll(() => impatient?.stop())

  it('is answered 408 and rolled back, releasing its rows to other writers', async () => {
    const post = openPost('application/x-ndjson', impatient)
    await post.send(`${lines('s6-', 0, 2500).join('\n')}\n`)
    // The client sends nothing more and never ends the body.
    const res = await post.answer
    expect(res).toMatchObject({ status: 408, body: { error: { code: 'timeout' } } })
    expect(res.body.error.message).toContain('nothing was stored')
    const [count] = await impatient.db.sql`select count(*)::int as n from tickets where ref like 's6-%'`
    expect(count!.n).toBe(0)
    // Another writer of the same items is not kept waiting on the stalled batch's row locks.
    const again = await requestJson(`${impatient.url}/api/v1/feeds/tickets`, {
      token: testTokens.feed,
      body: lines('s6-', 0, 2500).join('\n'),
      headers: { 'content-type': 'application/x-ndjson' },
    })
    expect(again).toMatchObject({ status: 200, body: { created: 2500 } })
    post.abort()
  })
})

describe('single items sent concurrently (group commit)', () => {
  it('answers each request on its own, logging each accepted item exactly once', async () => {
    const post = (body: unknown) =>
      requestJson(`${server.url}/api/v1/feeds/tickets`, { token: testTokens.feed, body })
    expect((await post(ticket('g-0'))).status).toBe(201)
    const bodies: unknown[] = Array.from({ length: 30 }, (_, i) => ticket(`g-${i + 1}`))
    bodies.push(ticket('g-bad', { category: 'karaoke' }))
    bodies.push(ticket('g-0', { updatedAt: '2026-11-28T09:00:00+07:00', status: 'assigned' }))
    bodies.push(ticket('g-0', { updatedAt: '2026-11-28T07:00:00+07:00' }))
    const answers = await Promise.all(bodies.map(post))
    expect(answers.slice(0, 30).map((a) => a.status)).toEqual(Array(30).fill(201))
    expect(answers.slice(0, 30).every((a) => a.body.created === 1)).toBe(true)
    expect(answers[30]).toMatchObject({ status: 422, body: { error: { field: 'category' } } })
    expect(answers[31]).toMatchObject({ status: 200, body: { created: 0, updated: 1, ignored: 0 } })
    expect(answers[32]).toMatchObject({ status: 200, body: { created: 0, updated: 0, ignored: 1 } })
    const logged = await server.db.sql`
      select ref, count(*)::int as n from change_log where ref like 'g-%' group by ref order by ref`
    expect(logged).toHaveLength(31)
    expect(logged.find((r) => r.ref === 'g-0')!.n).toBe(2)
    expect(logged.filter((r) => r.ref !== 'g-0').every((r) => r.n === 1)).toBe(true)
    expect(await stored('g-bad')).toEqual({ rows: 0, logged: 0 })
  })
})
