import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCity } from '../src/city/profile'
import { DomainEvents } from '../src/events'
import { storeGrouped } from '../src/feeds/group-commit'
import { ingestItems, prepareItems } from '../src/feeds/ingest'
import { sampleTicket } from './support/items'
import { createTestDatabase, type TestDatabase } from './support/test-database'

const city = loadCity({ CITY_PROFILE: 'phan-thiet', CITY_TZ: undefined })
let db: TestDatabase
const events = new DomainEvents()
const deps = () => ({ sql: db.sql, city, events })

// A point at sea, far from every ward.
const farAway = { lat: 10.5, lng: 107.5 }

const ticket = (ref: string, over: Record<string, unknown> = {}) =>
  sampleTicket(ref, { source: 's1', ...over })

beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(() => db?.drop())

describe('ingestItems', () => {
  it('creates, derives dueAt and wardCode, and logs the change', async () => {
    const seen: number[] = []
    events.on('changelog.appended', (e) => seen.push(e.lastSeq))
    const r = await ingestItems(deps(), 'tickets', [ticket('a')])
    expect(r).toMatchObject({ created: 1, updated: 0, ignored: 0, rejected: [], warnings: [] })
    const [row] = await db.sql`select ward_code, due_at from tickets where ref = 'a'`
    expect(row!.ward_code).toBe('22930')
    expect((row!.due_at as Date).toISOString()).toBe('2026-11-28T09:00:00.000Z')
    const log = await db.sql`select seq, op, item from change_log where ref = 'a'`
    expect(log).toHaveLength(1)
    expect(log[0]!.op).toBe('created')
    expect(log[0]!.item.dueAt).toBe('2026-11-28T09:00:00.000Z')
    expect(seen.at(-1)).toBe(r.lastSeq)
    expect(r.lastSeq).toBe(log[0]!.seq)
  })

  it('updates with a newer version and ignores stale and identical ones', async () => {
    const newer = ticket('a', { updatedAt: '2026-11-28T09:00:00+07:00', status: 'assigned' })
    expect(await ingestItems(deps(), 'tickets', [newer])).toMatchObject({
      created: 0,
      updated: 1,
      ignored: 0,
    })
    expect(await ingestItems(deps(), 'tickets', [newer])).toMatchObject({ updated: 0, ignored: 1 })
    expect(await ingestItems(deps(), 'tickets', [ticket('a')])).toMatchObject({ updated: 0, ignored: 1 })
    const [row] = await db.sql`select status from tickets where ref = 'a'`
    expect(row!.status).toBe('assigned')
  })

  it('applies repeats within one batch in delivery order', async () => {
    const r = await ingestItems(deps(), 'tickets', [
      ticket('b'),
      ticket('b', {
        updatedAt: '2026-11-28T10:00:00+07:00',
        status: 'resolved',
        resolvedAt: '2026-11-28T10:00:00+07:00',
      }),
      ticket('b', { updatedAt: '2026-11-28T09:00:00+07:00', status: 'in_progress' }),
    ])
    expect(r).toMatchObject({ created: 1, updated: 1, ignored: 1 })
    const [row] = await db.sql`select status from tickets where ref = 'b'`
    expect(row!.status).toBe('resolved')
  })

  it('stores a large batch in one transaction: counts, repeats in order, one change each, one announcement', async () => {
    const seen: number[] = []
    events.on('changelog.appended', (e) => seen.push(e.lastSeq))
    const items = Array.from({ length: 2500 }, (_, i) => ticket(`big-${i}`))
    items.push(ticket('big-7', { updatedAt: '2026-11-28T09:00:00+07:00', status: 'assigned' }))
    items.push(ticket('big-8', { updatedAt: '2026-11-28T09:00:00+07:00', location: farAway }))
    items.push(ticket('big-9', { updatedAt: '2026-11-28T07:00:00+07:00' }))
    const r = await ingestItems(deps(), 'tickets', items)
    expect(r).toMatchObject({ created: 2500, updated: 2, ignored: 1 })
    const log = await db.sql`
      select ref, op, item->>'status' as status from change_log where ref like 'big-%' order by seq`
    expect(log).toHaveLength(2502)
    expect(log.filter((c) => c.ref === 'big-7').map((c) => [c.op, c.status])).toEqual([
      ['created', 'received'],
      ['updated', 'assigned'],
    ])
    expect(seen).toEqual([r.lastSeq])
    const wards = await db.sql`select distinct ward_code from change_log where ref like 'big-%'`
    expect(new Set(wards.map((w) => w.ward_code))).toEqual(new Set(['22930', null]))
    const [max] = await db.sql`select max(seq)::int as seq from change_log`
    expect(max!.seq).toBe(r.lastSeq)
  })

  it('rejects bad items by index and field, stores the good ones, and warns outside the city', async () => {
    const r = await ingestItems(deps(), 'tickets', [
      ticket('c'),
      ticket('d', { category: 'karaoke' }),
      'not an object',
      ticket('e', { location: { lat: 200, lng: 1 } }),
      ticket('f', { location: farAway }),
    ])
    expect(r.created).toBe(2)
    expect(r.rejected).toEqual([
      expect.objectContaining({ index: 1, kind: 'invalid', field: 'category' }),
      expect.objectContaining({ index: 2, kind: 'malformed' }),
      expect.objectContaining({ index: 3, kind: 'invalid', field: 'location.lat' }),
    ])
    expect(r.warnings).toEqual([expect.objectContaining({ index: 4, field: 'location' })])
    const refs = (
      await db.sql`select ref, ward_code from tickets where ref in ('c','d','e','f') order by ref`
    ).map((x) => [x.ref, x.ward_code])
    expect(refs).toEqual([
      ['c', '22930'],
      ['f', null],
    ])
  })

  it('stores an Open311 report located only by its address without a point or ward, with a warning; refuses one with neither, and an address-only report from the JSON feed', async () => {
    const { location: _point, ...addressOnly } = ticket('addr', {
      address: '45 Nguyễn Tất Thành',
      channel: 'open311',
    })
    const { location: _none, ...nowhere } = ticket('nowhere', { channel: 'open311' })
    const { location: _feed, ...feedAddressOnly } = ticket('feed-addr', { address: '12 Trần Hưng Đạo' })
    const r = await ingestItems(deps(), 'tickets', [addressOnly, nowhere, feedAddressOnly])
    expect(r.created).toBe(1)
    expect(r.warnings).toEqual([expect.objectContaining({ index: 0, field: 'location' })])
    expect(r.rejected).toEqual([
      expect.objectContaining({ index: 1, kind: 'invalid', field: 'location' }),
      expect.objectContaining({
        index: 2,
        kind: 'invalid',
        field: 'location',
        message: expect.stringContaining('required'),
      }),
    ])
    const [row] = await db.sql`select lat, lng, ward_code, address from tickets where ref = 'addr'`
    expect(row).toEqual({ lat: null, lng: null, ward_code: null, address: '45 Nguyễn Tất Thành' })
    const [logged] = await db.sql`select item from change_log where ref = 'addr'`
    expect(logged!.item.location).toBeUndefined()
  })

  it('lets a feed key send only its own source', async () => {
    const r = await ingestItems(deps(), 'tickets', [ticket('g')], { source: 'other' })
    expect(r.rejected).toEqual([expect.objectContaining({ index: 0, kind: 'forbidden', field: 'source' })])
  })

  it('keeps concurrent writers of the same items exact: one row each, newest version, every change logged once', async () => {
    const versions = Array.from({ length: 20 }, (_, v) =>
      ['p', 'q', 'r'].map((ref) =>
        ticket(ref, { updatedAt: new Date(Date.UTC(2026, 10, 28, 3, v)).toISOString(), title: `v${v}` }),
      ),
    )
    const results = await Promise.all(
      versions.reverse().map((batch) => ingestItems(deps(), 'tickets', batch)),
    )
    const rows = await db.sql`select ref, title from tickets where ref in ('p','q','r') order by ref`
    expect(rows.map((r) => r.title)).toEqual(['v19', 'v19', 'v19'])
    const logged = await db.sql`select count(*)::int as n from change_log where ref in ('p','q','r')`
    const accepted = results.reduce((n, r) => n + r.created + r.updated, 0)
    expect(logged[0]!.n).toBe(accepted)
    expect(results.reduce((n, r) => n + r.created, 0)).toBe(3)
    const seqs = (await db.sql`select seq from change_log order by seq`).map((r) => r.seq as number)
    expect(new Set(seqs).size).toBe(seqs.length)
  })
})

describe('large batches written concurrently (staged changes)', () => {
  it('keeps them exact: one row each, newest version, every accepted change logged once, in order', async () => {
    const refs = Array.from({ length: 2100 }, (_, i) => `lg-${i}`)
    const versions = [3, 0, 2, 1].map((v) =>
      refs
        .map((ref) =>
          ticket(ref, { updatedAt: new Date(Date.UTC(2026, 10, 28, 4, v)).toISOString(), title: `v${v}` }),
        )
        .sort(() => Math.random() - 0.5),
    )
    const results = await Promise.all(versions.map((batch) => ingestItems(deps(), 'tickets', batch)))
    const titles = await db.sql`
      select title, count(*)::int as n from tickets where ref like 'lg-%' group by title`
    expect(titles).toEqual([{ title: 'v3', n: 2100 }])
    const accepted = results.reduce((n, r) => n + r.created + r.updated, 0)
    expect(results.reduce((n, r) => n + r.created, 0)).toBe(2100)
    const logged = await db.sql`
      select ref, array_agg(item->>'title' order by seq) as titles from change_log
      where ref like 'lg-%' group by ref`
    expect(logged.reduce((n, r) => n + (r.titles as string[]).length, 0)).toBe(accepted)
    // Each item's logged versions only ever get newer.
    for (const r of logged) {
      const titles = r.titles as string[]
      expect([...titles].sort()).toEqual(titles)
      expect(titles.at(-1)).toBe('v3')
    }
  })
})

describe('group commit (small requests)', () => {
  const prepared = (raw: unknown) => {
    const p = prepareItems(deps(), 'tickets', [raw])
    expect(p.rejected).toEqual([])
    return p.accepted
  }

  it('writes concurrent requests together, each told its own outcome, each change logged once', async () => {
    await ingestItems(deps(), 'tickets', [ticket('gc-old', { title: 'v1' })])
    const submissions = [
      ...Array.from({ length: 40 }, (_, i) => prepared(ticket(`gc-${i}`))),
      prepared(ticket('gc-old', { updatedAt: '2026-11-28T09:00:00+07:00', title: 'v2' })),
      prepared(ticket('gc-old', { updatedAt: '2026-11-28T07:00:00+07:00', title: 'stale' })),
    ]
    const results = await Promise.all(submissions.map((items) => storeGrouped(deps(), 'tickets', items)))
    expect(results.slice(0, 40).every((r) => r.created === 1 && r.updated === 0 && r.ignored === 0)).toBe(
      true,
    )
    expect(results[40]).toMatchObject({ created: 0, updated: 1, ignored: 0 })
    expect(results[41]).toMatchObject({ created: 0, updated: 0, ignored: 1 })
    const [row] = await db.sql`select title from tickets where ref = 'gc-old'`
    expect(row!.title).toBe('v2')
    const logged = await db.sql`
      select ref, count(*)::int as n, count(distinct xmin::text)::int as txs
      from change_log where ref like 'gc-%' and ref <> 'gc-old' group by ref`
    expect(logged).toHaveLength(40)
    expect(logged.every((r) => r.n === 1)).toBe(true)
    // The first request went alone; the 41 that arrived while it was written shared one transaction.
    const [txs] = await db.sql`
      select count(distinct xmin::text)::int as n from change_log where ref like 'gc-%'
        and seq > (select min(seq) from change_log where ref = 'gc-old')`
    expect(txs!.n).toBe(2)
  })

  it('fails only the request whose item the database refuses, and stores the others', async () => {
    const good = Array.from({ length: 10 }, (_, i) => prepared(ticket(`gf-${i}`)))
    // Normalize refuses a NUL character (PostgreSQL cannot store it in text or jsonb); slipped in
    // after it, it stands for any item the database refuses.
    const bad = prepared(ticket('gf-bad', { title: 'nul here' })).map((n) => ({
      ...n,
      json: n.json.replace('nul here', 'nul \\u0000 here'),
    }))
    const settled = await Promise.allSettled(
      [...good.slice(0, 5), bad, ...good.slice(5)].map((items) => storeGrouped(deps(), 'tickets', items)),
    )
    expect(settled.map((s) => s.status)).toEqual([
      ...Array(5).fill('fulfilled'),
      'rejected',
      ...Array(5).fill('fulfilled'),
    ])
    const [rows] = await db.sql`select count(*)::int as n from tickets where ref like 'gf-%'`
    expect(rows!.n).toBe(10)
    const [logged] = await db.sql`select count(*)::int as n from change_log where ref like 'gf-%'`
    expect(logged!.n).toBe(10)
  })
})
