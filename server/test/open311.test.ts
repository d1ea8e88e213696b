import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer, testFeedSource, testTokens } from './support/test-server'

let server: TestServer
const now = new Date('2026-11-28T03:00:00Z')
const formats = ['json', 'xml'] as const
type Format = (typeof formats)[number]

beforeAll(async () => {
  server = await startTestServer({}, { clock: () => now })
  await fetch(`${server.url}/api/v1/feeds/tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${testTokens.feed}`, 'content-type': 'application/json' },
    body: JSON.stringify([
      {
        source: testFeedSource,
        ref: 'A&1',
        updatedAt: '2026-11-28T01:00:00Z',
        category: 'lighting',
        title: 'Đèn <hỏng>',
        location: { lat: 10.932, lng: 108.1 },
        status: 'received',
        receivedAt: '2026-11-28T01:00:00Z',
        unit: 'DIEN-LUC',
        media: ['https://example.org/a.jpg'],
      },
      {
        source: testFeedSource,
        ref: 'B2',
        updatedAt: '2026-11-27T05:00:00Z',
        category: 'waste',
        title: 'Rác',
        location: { lat: 10.94, lng: 108.11 },
        status: 'resolved',
        receivedAt: '2026-11-27T01:00:00Z',
        resolvedAt: '2026-11-27T05:00:00Z',
      },
    ]),
  })
})
afterAll(() => server?.stop())

/** A GeoReport response in either format, XML read with the runtime's own DOM-free checks. */
async function get(path: string, format: Format) {
  const res = await fetch(`${server.url}/open311/v2/${path.replace('{f}', format)}`)
  const text = await res.text()
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    text,
    json: format === 'json' ? JSON.parse(text) : null,
  }
}
async function post(path: string, form: Record<string, string>, format: Format) {
  const res = await fetch(`${server.url}/open311/v2/${path}.${format}`, {
    method: 'POST',
    body: new URLSearchParams(form),
  })
  const text = await res.text()
  return { status: res.status, text, json: format === 'json' ? JSON.parse(text) : null }
}
/** Text of every `<name>` element in an XML document (the documents here are flat and escaped). */
const xmlValues = (xml: string, name: string) =>
  [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>|<${name}/>`, 'g'))].map((m) =>
    (m[1] ?? '').replace(
      /&(amp|lt|gt|quot|apos);/g,
      (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e]!,
    ),
  )

describe.each(formats)('Open311 GeoReport v2 (%s)', (format) => {
  it('lists services and defines one; an unknown service_code is a 404 error', async () => {
    const list = await get('services.{f}', format)
    expect(list.status).toBe(200)
    if (format === 'json') {
      expect(list.json).toContainEqual(
        expect.objectContaining({ service_code: 'waste', metadata: false, type: 'realtime' }),
      )
    } else {
      expect(list.type).toContain('xml')
      expect(list.text).toMatch(
        /^<\?xml version="1.0" encoding="utf-8"\?>\n<services><service><service_code>/,
      )
      expect(xmlValues(list.text, 'service_code')).toContain('waste')
    }
    const one = await get('services/waste.{f}', format)
    if (format === 'json') expect(one.json).toEqual({ service_code: 'waste', attributes: [] })
    else
      expect(one.text).toContain(
        '<service_definition><service_code>waste</service_code><attributes/></service_definition>',
      )
    const bad = await get('services/karaoke.{f}', format)
    expect(bad.status).toBe(404)
    if (format === 'json')
      expect(bad.json).toEqual([{ code: 404, description: expect.stringContaining('karaoke') }])
    else expect(bad.text).toMatch(/<errors><error><code>404<\/code><description>[^<]*karaoke/)
  })

  it('serves requests with the GeoReport fields, filtered by code, status, id and dates', async () => {
    const all = await get('requests.{f}', format)
    expect(all.status).toBe(200)
    if (format === 'json') {
      expect(all.json.find((r: { service_code: string }) => r.service_code === 'lighting')).toEqual({
        service_request_id: `${testFeedSource}:A&1`,
        status: 'open',
        status_notes: 'received',
        service_name: expect.any(String),
        service_code: 'lighting',
        description: 'Đèn <hỏng>',
        agency_responsible: 'DIEN-LUC',
        service_notice: null,
        requested_datetime: '2026-11-28T01:00:00Z',
        updated_datetime: '2026-11-28T01:00:00Z',
        expected_datetime: '2026-11-28T09:00:00Z',
        address: null,
        address_id: null,
        zipcode: null,
        lat: 10.932,
        long: 108.1,
        media_url: 'https://example.org/a.jpg',
      })
    } else {
      expect(all.text).toContain('<service_requests><request><service_request_id>')
      expect(all.text).toContain(
        '<request><service_request_id>test-source:A&amp;1</service_request_id><status>open</status>',
      )
      expect(all.text).toContain('<description>Đèn &lt;hỏng&gt;</description>')
      expect(all.text).toContain('<address/>')
    }
    const ids = async (query: string) => {
      const r = await get(`requests.{f}?${query}`, format)
      expect(r.status).toBe(200)
      return format === 'json'
        ? r.json.map((x: { service_request_id: string }) => x.service_request_id)
        : xmlValues(r.text, 'service_request_id')
    }
    expect(await ids('service_code=waste')).toEqual([`${testFeedSource}:B2`])
    expect(await ids('status=closed')).toEqual([`${testFeedSource}:B2`])
    expect(await ids('status=open,closed')).toEqual(
      expect.arrayContaining([`${testFeedSource}:A&1`, `${testFeedSource}:B2`]),
    )
    expect(await ids('start_date=2026-11-28T00:00:00%2B00:00&end_date=2026-11-28T02:00:00Z')).toEqual([
      `${testFeedSource}:A&1`,
    ])
    expect(await ids(`service_request_id=${encodeURIComponent(`${testFeedSource}:B2`)}`)).toEqual([
      `${testFeedSource}:B2`,
    ])
    const one = await get(`requests/${encodeURIComponent(`${testFeedSource}:B2`)}.{f}`, format)
    expect(one.status).toBe(200)
    if (format === 'json')
      expect(one.json).toEqual([expect.objectContaining({ status: 'closed', service_code: 'waste' })])
    else expect(xmlValues(one.text, 'status')).toEqual(['closed'])
    expect((await get('requests/nope:x.{f}', format)).status).toBe(404)
  })

  it('answers bad dates, statuses and service codes with 400 in the GeoReport error format', async () => {
    for (const query of [
      'start_date=yesterday',
      'end_date=2026-13-01T00:00:00Z',
      'start_date=2026-11-28T00:00:00',
      'start_date=2026-11-28&end_date=2026-11-01',
      'status=lost',
      'service_code=karaoke',
    ]) {
      const r = await get(`requests.{f}?${query}`, format)
      expect(r.status, query).toBe(400)
      if (format === 'json') expect(r.json).toEqual([{ code: 400, description: expect.any(String) }])
      else
        expect(r.text).toMatch(
          /<errors><error><code>400<\/code><description>.+<\/description><\/error><\/errors>/,
        )
    }
  })

  it('creates a ticket with POST requests through the ingest path, then finds it by id and token', async () => {
    const form = {
      api_key: testTokens.feed,
      service_code: 'water',
      lat: '10.93',
      long: '108.1',
      description: `Vỡ ống nước (${format})\nnước tràn ra đường`,
      address_string: '12 Trần Hưng Đạo',
      email: 'dan@example.org',
      first_name: 'Văn',
      last_name: 'A',
    }
    const created = await post('requests', form, format)
    expect(created.status).toBe(200)
    const id =
      format === 'json'
        ? created.json[0].service_request_id
        : xmlValues(created.text, 'service_request_id')[0]!
    expect(id).toMatch(new RegExp(`^${testFeedSource}:`))
    if (format === 'xml') expect(created.text).toContain('<account_id/>')
    const ref = id.slice(testFeedSource.length + 1)
    const [row] = await server.db
      .sql`select title, channel, ward_code, reporter, due_at from tickets where ref = ${ref}`
    expect(row).toMatchObject({
      title: `Vỡ ống nước (${format})`,
      channel: 'open311',
      reporter: { name: 'Văn A', email: 'dan@example.org' },
    })
    expect(row!.ward_code).not.toBeNull()
    expect((row!.due_at as Date).toISOString()).toBe('2026-11-28T11:00:00.000Z')
    const logged = await server.db.sql`select op from change_log where ref = ${ref}`
    expect(logged).toHaveLength(1)

    const found = await get(`requests/${encodeURIComponent(id)}.{f}`, format)
    expect(found.status).toBe(200)
    const token = await get(`tokens/${ref}.{f}`, format)
    expect(token.status).toBe(200)
    if (format === 'json') expect(token.json).toEqual([{ service_request_id: id, token: ref }])
    else expect(xmlValues(token.text, 'token')).toEqual([ref])
    expect((await get('tokens/unknown.{f}', format)).status).toBe(404)
  })

  it('refuses POST requests without a valid api_key (403), with a bad service_code or no location (400)', async () => {
    const form = { service_code: 'water', lat: '10.93', long: '108.1', description: 'x' }
    const missing = await post('requests', form, format)
    expect(missing.status).toBe(403)
    if (format === 'json') expect(missing.json).toEqual([{ code: 403, description: 'api_key is required' }])
    else expect(missing.text).toContain('<description>api_key is required</description>')
    expect((await post('requests', { ...form, api_key: 'wrong' }, format)).status).toBe(403)
    expect((await post('requests', { ...form, api_key: testTokens.display }, format)).status).toBe(403)
    const badCode = await post(
      'requests',
      { ...form, api_key: testTokens.feed, service_code: 'karaoke' },
      format,
    )
    expect(badCode.status).toBe(400)
    expect(badCode.text).toContain('service_code karaoke not found')
    expect((await post('requests', { ...form, api_key: testTokens.feed, lat: '' }, format)).status).toBe(400)
    expect((await post('requests', { ...form, api_key: testTokens.feed, lat: '200' }, format)).status).toBe(
      400,
    )
  })

  it("serves and accepts FixMyStreet's servicerequestupdates", async () => {
    const update = await post(
      'servicerequestupdates',
      {
        api_key: testTokens.feed,
        service_request_id: `${testFeedSource}:A&1`,
        status: format === 'json' ? 'IN_PROGRESS' : 'FIXED',
        updated_datetime: format === 'json' ? '2026-11-28T02:00:00Z' : '2026-11-28T02:30:00+00:00',
        update_id: `fms-${format}`,
        description: 'đang xử lý',
      },
      format,
    )
    expect(update.status).toBe(200)
    const updateId = format === 'json' ? update.json[0].update_id : xmlValues(update.text, 'update_id')[0]
    expect(Number(updateId)).toBeGreaterThan(0)
    const [row] = await server.db.sql`select status from tickets where ref = 'A&1'`
    expect(row!.status).toBe(format === 'json' ? 'in_progress' : 'resolved')

    const list = await get(
      'servicerequestupdates.{f}?start_date=2026-11-01T00:00:00Z&end_date=2100-01-01T00:00:00Z',
      format,
    )
    expect(list.status).toBe(200)
    const expected = format === 'json' ? 'in_progress' : 'fixed'
    if (format === 'json') {
      expect(list.json).toContainEqual({
        update_id: updateId,
        service_request_id: `${testFeedSource}:A&1`,
        status: expected,
        updated_datetime: '2026-11-28T02:00:00Z',
        description: expect.any(String),
        media_url: 'https://example.org/a.jpg',
      })
    } else {
      expect(list.text).toContain('<service_requests_updates><request_update><update_id>')
      expect(xmlValues(list.text, 'status')).toContain(expected)
    }
    const foreign = await post(
      'servicerequestupdates',
      { api_key: testTokens.feed, service_request_id: 'other:1', status: 'FIXED' },
      format,
    )
    expect(foreign.status).toBe(403)
    expect(
      (await post('servicerequestupdates', { service_request_id: `${testFeedSource}:B2` }, format)).status,
    ).toBe(403)
    const badDate = await post(
      'servicerequestupdates',
      { api_key: testTokens.feed, service_request_id: `${testFeedSource}:B2`, updated_datetime: 'soon' },
      format,
    )
    expect(badDate.status).toBe(400)
  })
})

it('answers unknown Open311 paths and formats with a GeoReport 404', async () => {
  const res = await fetch(`${server.url}/open311/v2/services.txt`)
  expect(res.status).toBe(404)
  expect(await res.json()).toEqual([{ code: 404, description: expect.any(String) }])
})
