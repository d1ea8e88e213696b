import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getJson } from '../support/http'
import { startTestServer, type TestServer, testTokens } from '../support/test-server'
import { referenceKpis } from './reference'
import { dossier, ticket, upsert } from './rows'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer({}, { clock: () => new Date('2026-03-01T10:00:00+07:00') })
})
afterAll(() => server?.stop())

const get = (path: string, token: string | null = testTokens.display) =>
  getJson(`${server.url}${path}`, token ?? undefined)

describe('KPI routes', () => {
  it('requires a display, leader or admin token', async () => {
    expect((await get('/api/v1/kpis', null)).status).toBe(401)
    expect((await get('/api/v1/kpis', testTokens.feed)).status).toBe(403)
    for (const token of [testTokens.display, testTokens.leader, testTokens.admin]) {
      expect((await get('/api/v1/kpis', token)).status).toBe(200)
    }
  })

  it.each([
    ['from=yesterday', 'from'],
    ['from=2026-03-01T00:00:00', 'from'], // no offset
    ['from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z', 'to'],
    ['from=2026-03-01T00:00:00Z&to=2026-03-01T00:00:00Z', 'to'],
    ['from=2010-01-01T00:00:00Z&to=2026-03-01T00:00:00Z', 'to'],
    ['ward=99999', 'ward'],
    ['category=potholes', 'category'],
  ])('answers %s with 400 naming %s', async (query, field) => {
    const res = await get(`/api/v1/kpis?${query}`)
    expect(res.status).toBe(400)
    expect(res.body.error).toMatchObject({ code: 'invalid_parameter', field })
    expect(res.body.error.message).toContain(field)
  })

  it('rejects an unknown breakdown dimension and a too long hourly breakdown', async () => {
    const bad = await get('/api/v1/kpis/breakdown?by=street')
    expect(bad.status).toBe(400)
    expect(bad.body.error.field).toBe('by')
    const long = await get('/api/v1/kpis/breakdown?by=hour&from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z')
    expect(long.status).toBe(400)
    expect(long.body.error.field).toBe('to')
  })

  it('breaks down by ward, unit, category, procedure and field with each group equal to its filter', async () => {
    const sql = server.db.sql
    await upsert(sql, 'tickets', [
      ticket({
        ref: 'r1',
        received_at: '2026-03-01T01:00:00+07:00',
        ward_code: '22930',
        unit: 'u1',
        category: 'waste',
      }),
      ticket({
        ref: 'r2',
        received_at: '2026-03-01T02:00:00+07:00',
        ward_code: '22915',
        unit: 'u2',
        category: 'lighting',
      }),
    ])
    await upsert(sql, 'dossiers', [
      dossier({
        ref: 'q1',
        procedure_code: 'P1',
        received_at: '2026-03-01T01:00:00+07:00',
        due_at: '2026-03-05T00:00:00+07:00',
      }),
      dossier({
        ref: 'q2',
        procedure_code: 'P2',
        channel: 'online',
        received_at: '2026-03-01T03:00:00+07:00',
        due_at: '2026-03-01T05:00:00+07:00',
        finished_at: '2026-03-01T04:00:00+07:00',
      }),
    ])
    await sql`insert into procedures ${sql([
      {
        source: 'test-source',
        ref: 'P1',
        updated_at: '2026-01-01T00:00:00Z',
        code: 'P1',
        name: 'Khai sinh',
        field: 'Hộ tịch',
        level: 'full',
        provincial_portal: true,
        national_portal: true,
        fee_bearing: false,
        content_hash: 'a',
      },
      {
        source: 'test-source',
        ref: 'P2',
        updated_at: '2026-01-01T00:00:00Z',
        code: 'P2',
        name: 'Kết hôn',
        field: 'Hộ tịch',
        level: 'partial',
        provincial_portal: true,
        national_portal: false,
        fee_bearing: false,
        content_hash: 'b',
      },
    ])}`
    const from = new Date('2026-03-01T00:00:00+07:00')
    const to = new Date('2026-03-02T00:00:00+07:00')

    const wards = await get('/api/v1/kpis/breakdown?by=ward')
    expect(wards.status).toBe(200)
    expect(wards.body.groups).toHaveLength(server.deps.city.profile.wards.length)
    const phuTrinh = wards.body.groups.find((g: { key: string }) => g.key === '22930')
    expect(phuTrinh.label).toBe('Phường Phú Trinh')
    expect(phuTrinh.kpis.tickets).toEqual((await referenceKpis(sql, from, to, { ward: '22930' })).tickets)

    const units = await get('/api/v1/kpis/breakdown?by=unit')
    const u2 = units.body.groups.find((g: { key: string }) => g.key === 'u2')
    expect(u2.kpis.tickets.received).toBe(1)

    const categories = await get('/api/v1/kpis/breakdown?by=category&ward=22915')
    expect(categories.body.filters).toEqual({ ward: '22915', unit: null, category: null })
    const lighting = categories.body.groups.find((g: { key: string }) => g.key === 'lighting')
    expect(lighting.kpis.tickets.received).toBe(1)
    expect(categories.body.groups.find((g: { key: string }) => g.key === 'waste').kpis.tickets.received).toBe(
      0,
    )

    const procedures = await get('/api/v1/kpis/breakdown?by=procedure')
    expect(procedures.body.groups.map((g: { key: string; label: string }) => [g.key, g.label])).toEqual([
      ['P1', 'Khai sinh'],
      ['P2', 'Kết hôn'],
    ])
    const [p1, p2] = procedures.body.groups
    expect(p1.kpis.dossiers).toMatchObject({ received: 1, finished: 0, overdueOpen: 0, progressRate: 1 })
    expect(p1.kpis.procedures).toEqual({
      total: 1,
      fullOnline: 1,
      partialOnline: 0,
      nationalPortal: 1,
      onlineShare: 1,
    })
    expect(p2.kpis.dossiers).toMatchObject({
      received: 1,
      finished: 1,
      onTimeRate: 1,
      onlineRate: 1,
      avgProcessingDays: 1 / 24,
    })

    const fields = await get('/api/v1/kpis/breakdown?by=field')
    expect(fields.body.groups).toHaveLength(1)
    expect(fields.body.groups[0].key).toBe('Hộ tịch')
    expect(fields.body.groups[0].kpis.dossiers).toEqual((await referenceKpis(sql, from, to, {})).dossiers)
  })
  it('counts the dossiers of full-online procedures filed online, by window and ward', async () => {
    const sql = server.db.sql
    // P1 is offered fully online, P2 in part (the catalog of the test above); P9 is not in it.
    const day = (h: number) => `2026-02-15T${String(h).padStart(2, '0')}:00:00+07:00`
    await upsert(sql, 'dossiers', [
      dossier({ ref: 'f1', procedure_code: 'P1', channel: 'online', received_at: day(8), due_at: day(20) }),
      dossier({ ref: 'f2', procedure_code: 'P1', channel: 'direct', received_at: day(9), due_at: day(20) }),
      dossier({
        ref: 'f3',
        procedure_code: 'P1',
        channel: 'online',
        received_at: day(10),
        due_at: day(20),
        ward_code: '22915',
      }),
      dossier({ ref: 'f4', procedure_code: 'P2', channel: 'online', received_at: day(11), due_at: day(20) }),
      dossier({ ref: 'f5', procedure_code: 'P9', channel: 'online', received_at: day(12), due_at: day(20) }),
      dossier({
        ref: 'f6',
        procedure_code: 'P1',
        channel: 'online',
        received_at: '2026-02-16T08:00:00+07:00',
        due_at: day(20),
      }),
    ])
    const window = (extra = '') =>
      `/api/v1/kpis?include=fullOnlineDossiers&from=${encodeURIComponent(day(0))}&to=${encodeURIComponent('2026-02-16T00:00:00+07:00')}${extra}`
    const city = await get(window())
    expect(city.status).toBe(200)
    expect(city.body.fullOnlineDossiers).toEqual({ received: 3, online: 2, rate: 2 / 3 })
    // Only when asked: the headline keys never wait on a scan of the window's raw rows.
    const plain = await get(window().replace('include=fullOnlineDossiers&', ''))
    expect(plain.body).not.toHaveProperty('fullOnlineDossiers')
    const unknown = await get(window().replace('include=fullOnlineDossiers', 'include=everything'))
    expect(unknown.status).toBe(400)
    expect(unknown.body.error.field).toBe('include')
    // The catalog's own share stays 100 % whatever is filed: every procedure is at least partly online.
    expect(city.body.procedures.onlineShare).toBe(1)
    const ward = await get(window('&ward=22930'))
    expect(ward.body.fullOnlineDossiers).toEqual({ received: 2, online: 1, rate: 1 / 2 })
    const empty = await get(
      `/api/v1/kpis?include=fullOnlineDossiers&from=${encodeURIComponent('2026-02-10T00:00:00+07:00')}&to=${encodeURIComponent('2026-02-11T00:00:00+07:00')}`,
    )
    expect(empty.body.fullOnlineDossiers).toEqual({ received: 0, online: 0, rate: null })
  })
})
