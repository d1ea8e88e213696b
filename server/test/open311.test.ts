import { readFileSync } from 'node:fs'
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
      'start_date=2026-11-28T24:30:00',
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
        // The update's own text; the report's photo is not the update's.
        description: 'đang xử lý',
        media_url: null,
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

// ---------------------------------------------------------------------------------------------
// Open311 as FixMyStreet means it (issue #18; GeoReport v2 and FixMyStreet's documented behaviour)

/** Stores one ticket through the JSON feed, as the city's own system would. */
async function feedTicket(ticket: Record<string, unknown>) {
  const res = await fetch(`${server.url}/api/v1/feeds/tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${testTokens.feed}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      source: testFeedSource,
      category: 'waste',
      title: 'Rác',
      location: { lat: 10.94, lng: 108.11 },
      ...ticket,
    }),
  })
  expect(res.status).toBeLessThan(300)
}
const ticketRow = async (ref: string) =>
  (
    await server.db.sql`select status, resolved_at, closed_at, updated_at, lat, lng, ward_code, attributes
    from tickets where source = ${testFeedSource} and ref = ${ref}`
  )[0]!
const fmsUpdate = (ref: string, form: Record<string, string>, format: Format = 'json') =>
  post(
    'servicerequestupdates',
    { api_key: testTokens.feed, service_request_id: `${testFeedSource}:${ref}`, ...form },
    format,
  )
const updateIdOf = (r: { json: unknown; text: string }, format: Format) =>
  format === 'json'
    ? (r.json as Array<{ update_id: string }>)[0]!.update_id
    : xmlValues(r.text, 'update_id')[0]!

describe.each(formats)('FixMyStreet against Open311 (%s)', (format) => {
  it('1. serves Service Discovery: changeset, contact, key_service and the endpoint with its formats', async () => {
    const found = await get('discovery.{f}', format)
    expect(found.status).toBe(200)
    if (format === 'json') {
      expect(found.json).toEqual({
        changeset: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        contact: expect.stringContaining('Phan Thiết'),
        key_service: expect.stringContaining('api_key'),
        endpoints: [
          {
            specification: 'http://wiki.open311.org/GeoReport_v2',
            url: `${server.url}/open311/v2`,
            changeset: expect.any(String),
            type: 'production',
            formats: ['text/xml', 'application/json'],
          },
        ],
      })
      // A discovery-driven client starts from the endpoint it was given.
      const services = await fetch(`${found.json.endpoints[0].url}/services.json`)
      expect(services.status).toBe(200)
    } else {
      expect(found.type).toContain('xml')
      expect(found.text).toMatch(/^<\?xml[^>]*>\n<discovery><changeset>[^<]+<\/changeset><contact>/)
      expect(found.text).toContain(
        `<endpoints><endpoint><specification>http://wiki.open311.org/GeoReport_v2</specification><url>${server.url}/open311/v2</url>`,
      )
      expect(found.text).toContain(
        '<type>production</type><formats><format>text/xml</format><format>application/json</format></formats>',
      )
    }
  })

  it('2. OPEN (sent with every comment in basic-status mode) keeps an open ticket in its state; it reopens a fixed one', async () => {
    const ref = `open-${format}`
    await feedTicket({
      ref,
      updatedAt: '2026-11-27T02:00:00Z',
      receivedAt: '2026-11-27T01:00:00Z',
      status: 'in_progress',
    })
    const comment = await fmsUpdate(
      ref,
      {
        status: 'OPEN',
        updated_datetime: '2026-11-27T03:00:00Z',
        description: 'Vẫn còn rác',
        update_id: `c1-${format}`,
      },
      format,
    )
    expect(comment.status).toBe(200)
    let row = await ticketRow(ref)
    expect(row.status).toBe('in_progress')
    expect(row.resolved_at).toBeNull()
    expect((row.updated_at as Date).toISOString()).toBe('2026-11-27T03:00:00.000Z')

    await fmsUpdate(
      ref,
      { status: 'FIXED', updated_datetime: '2026-11-27T04:00:00Z', update_id: `c2-${format}` },
      format,
    )
    expect((await ticketRow(ref)).status).toBe('resolved')
    const reopened = await fmsUpdate(
      ref,
      {
        status: 'OPEN',
        updated_datetime: '2026-11-27T05:00:00Z',
        description: 'Chưa xong',
        update_id: `c3-${format}`,
      },
      format,
    )
    expect(reopened.status).toBe(200)
    row = await ticketRow(ref)
    expect(row).toMatchObject({ status: 'received', resolved_at: null, closed_at: null })
  })

  it('3. CLOSED (a fixed report in basic-status mode) resolves the ticket, so it counts in tickets.resolved', async () => {
    const ref = `closed-${format}`
    const day = format === 'json' ? '2026-11-20' : '2026-11-21'
    await feedTicket({
      ref,
      category: 'lighting',
      updatedAt: `${day}T08:00:00Z`,
      receivedAt: `${day}T08:00:00Z`,
      status: 'received',
    })
    const resolved = async () => {
      const res = await fetch(
        `${server.url}/api/v1/kpis?from=${day}T08:00:00Z&to=${day}T12:00:00Z&category=lighting`,
        { headers: { authorization: `Bearer ${testTokens.leader}` } },
      )
      expect(res.status).toBe(200)
      return ((await res.json()) as { tickets: { resolved: number } }).tickets.resolved
    }
    expect(await resolved()).toBe(0)
    const closed = await fmsUpdate(ref, { status: 'CLOSED', updated_datetime: `${day}T10:30:00Z` }, format)
    expect(closed.status).toBe(200)
    const row = await ticketRow(ref)
    expect(row.status).toBe('closed')
    expect((row.resolved_at as Date).toISOString()).toBe(`${day}T10:30:00.000Z`)
    expect((row.closed_at as Date).toISOString()).toBe(`${day}T10:30:00.000Z`)
    expect(await resolved()).toBe(1)
    const one = await get(`requests/${encodeURIComponent(`${testFeedSource}:${ref}`)}.{f}`, format)
    expect(format === 'json' ? one.json[0].status : xmlValues(one.text, 'status')[0]).toBe('closed')
  })

  it('4. a stale update, or one of the same second that loses the tie-break, is answered 409 and changes nothing', async () => {
    const ref = `stale-${format}`
    await feedTicket({
      ref,
      updatedAt: '2026-11-27T06:00:00Z',
      receivedAt: '2026-11-27T01:00:00Z',
      status: 'assigned',
    })
    const stale = await fmsUpdate(
      ref,
      { status: 'FIXED', updated_datetime: '2026-11-27T05:00:00Z', update_id: 's1' },
      format,
    )
    expect(stale.status).toBe(409)
    if (format === 'json')
      expect(stale.json).toEqual([
        { code: 409, description: expect.stringMatching(/updated_datetime .*older/) },
      ])
    else
      expect(stale.text).toMatch(/<errors><error><code>409<\/code><description>updated_datetime [^<]*older/)
    expect((await ticketRow(ref)).status).toBe('assigned')

    // Two updates of the same second: the one that loses the tie-break is refused, the winner stays.
    let refused = 0
    for (let i = 0; i < 20 && refused === 0; i++) {
      const tie = `tie-${format}-${i}`
      await feedTicket({
        ref: tie,
        updatedAt: '2026-11-27T06:00:00Z',
        receivedAt: '2026-11-27T01:00:00Z',
        status: 'received',
      })
      const at = '2026-11-27T07:00:00Z'
      expect((await fmsUpdate(tie, { status: 'IN_PROGRESS', updated_datetime: at }, format)).status).toBe(200)
      const second = await fmsUpdate(tie, { status: 'FIXED', updated_datetime: at }, format)
      const { status } = await ticketRow(tie)
      if (second.status === 409) {
        refused++
        expect(second.text).toContain('same as the request')
        expect(status).toBe('in_progress')
      } else {
        expect(second.status).toBe(200)
        expect(status).toBe('resolved')
      }
    }
    expect(refused).toBe(1)

    // A delivery FixMyStreet repeats (same update_id) gets the update_id it was given, not a 409.
    const first = await fmsUpdate(
      ref,
      { status: 'IN_PROGRESS', updated_datetime: '2026-11-27T08:00:00Z', update_id: 'again' },
      format,
    )
    const again = await fmsUpdate(
      ref,
      { status: 'IN_PROGRESS', updated_datetime: '2026-11-27T08:00:00Z', update_id: 'again' },
      format,
    )
    expect([first.status, again.status]).toEqual([200, 200])
    expect(updateIdOf(again, format)).toBe(updateIdOf(first, format))
  })

  it("5. keeps an update's comment and photo and gives back only those; a status change from the feed has no invented text", async () => {
    const ref = `comment-${format}`
    const since = (await server.db.sql`select now() as now`)[0]!.now as Date
    await feedTicket({
      ref,
      updatedAt: '2026-11-27T02:00:00Z',
      receivedAt: '2026-11-27T01:00:00Z',
      status: 'received',
      media: ['https://example.org/report.jpg'],
    })
    const posted = await fmsUpdate(
      ref,
      {
        status: 'OPEN',
        updated_datetime: '2026-11-27T03:00:00Z',
        description: 'Rác vẫn còn, gọi tôi 0912 345 678',
        media_url: 'https://example.org/still-there.jpg',
        update_id: `fms-comment-${format}`,
      },
      format,
    )
    expect(posted.status).toBe(200)
    const updateId = updateIdOf(posted, format)
    await feedTicket({
      ref,
      updatedAt: '2026-11-27T04:00:00Z',
      receivedAt: '2026-11-27T01:00:00Z',
      status: 'assigned',
      media: ['https://example.org/report.jpg'],
    })

    const listed = await get(
      `servicerequestupdates.{f}?start_date=${encodeURIComponent(since.toISOString())}&end_date=2100-01-01T00:00:00Z`,
      format,
    )
    expect(listed.status).toBe(200)
    const id = `${testFeedSource}:${ref}`
    if (format === 'json') {
      const mine = listed.json.filter((u: { service_request_id: string }) => u.service_request_id === id)
      expect(mine).toEqual([
        {
          update_id: updateId,
          service_request_id: id,
          status: 'open',
          updated_datetime: '2026-11-27T03:00:00Z',
          description: expect.stringMatching(/^Rác vẫn còn, gọi tôi (?!0912 345 678)/),
          media_url: 'https://example.org/still-there.jpg',
        },
        {
          update_id: expect.any(String),
          service_request_id: id,
          status: 'action_scheduled',
          updated_datetime: '2026-11-27T04:00:00Z',
          description: '',
          media_url: null,
        },
      ])
    } else {
      const texts = xmlValues(listed.text, 'description')
      expect(texts.some((d) => d.startsWith('Rác vẫn còn, gọi tôi '))).toBe(true)
      expect(listed.text).not.toContain('0912 345 678')
      expect(listed.text).not.toContain('report.jpg')
      expect(listed.text).not.toContain('status: ')
      expect(listed.text).toContain('<media_url>https://example.org/still-there.jpg</media_url>')
    }
  })

  it('6. takes zone-less times in the city time zone (CITY_TZ)', async () => {
    const ref = `local-${format}`
    await feedTicket({
      ref,
      updatedAt: '2026-11-27T02:00:00Z',
      receivedAt: '2026-11-27T01:00:00Z',
      status: 'received',
    })
    // 10:00 in Asia/Ho_Chi_Minh (+07:00) is 03:00Z.
    expect(
      (await fmsUpdate(ref, { status: 'IN_PROGRESS', updated_datetime: '2026-11-27T10:00:00' }, format))
        .status,
    ).toBe(200)
    expect(((await ticketRow(ref)).updated_at as Date).toISOString()).toBe('2026-11-27T03:00:00.000Z')
    // A-and-1 was received at 01:00Z = 08:00 city time.
    const window = await get(
      'requests.{f}?start_date=2026-11-28T07:30:00&end_date=2026-11-28T08:30:00',
      format,
    )
    expect(window.status).toBe(200)
    const ids =
      format === 'json'
        ? window.json.map((r: { service_request_id: string }) => r.service_request_id)
        : xmlValues(window.text, 'service_request_id')
    expect(ids).toEqual([`${testFeedSource}:A&1`])
  })

  it('6. accepts a request located only by its address (no point, no ward) with a warning; refuses one with neither', async () => {
    const created = await post(
      'requests',
      {
        api_key: testTokens.feed,
        service_code: 'traffic',
        address_string: '45 Nguyễn Tất Thành',
        description: `Ổ gà (${format})`,
      },
      format,
    )
    expect(created.status).toBe(200)
    const notice =
      format === 'json' ? created.json[0].service_notice : xmlValues(created.text, 'service_notice')[0]
    expect(notice).toContain('no lat/long')
    const id =
      format === 'json'
        ? created.json[0].service_request_id
        : xmlValues(created.text, 'service_request_id')[0]!
    const row = await ticketRow(id.slice(testFeedSource.length + 1))
    expect(row).toMatchObject({ lat: null, lng: null, ward_code: null })
    const read = await get(`requests/${encodeURIComponent(id)}.{f}`, format)
    expect(read.status).toBe(200)
    if (format === 'json')
      expect(read.json[0]).toMatchObject({ address: '45 Nguyễn Tất Thành', lat: null, long: null })
    else expect(read.text).toContain('<lat/><long/>')
    const neither = await post(
      'requests',
      { api_key: testTokens.feed, service_code: 'traffic', description: 'x' },
      format,
    )
    expect(neither.status).toBe(400)
    expect(neither.text).toContain('address_string')
  })

  it("6. lists each service in its category's group from the city profile", async () => {
    const list = await get('services.{f}', format)
    const groups =
      format === 'json'
        ? Object.fromEntries(
            list.json.map((s: { service_code: string; group: string }) => [s.service_code, s.group]),
          )
        : Object.fromEntries(
            xmlValues(list.text, 'service_code').map((code, i) => [code, xmlValues(list.text, 'group')[i]]),
          )
    const profile = JSON.parse(
      readFileSync(new URL('../profiles/phan-thiet/profile.json', import.meta.url), 'utf8'),
    )
    for (const c of profile.categories) expect(groups[c.code]).toBe(c.group)
    expect(groups.waste).toBe('Môi trường')
    expect(new Set(Object.values(groups)).size).toBeGreaterThan(1)
  })

  it('6. validates jurisdiction_id (unknown: 400 naming it) and keeps attribute[…] on the ticket', async () => {
    for (const path of [
      'requests.{f}?jurisdiction_id=paris',
      'services.{f}?jurisdiction_id=paris',
      'services/waste.{f}?jurisdiction_id=paris',
      `requests/${encodeURIComponent(`${testFeedSource}:B2`)}.{f}?jurisdiction_id=paris`,
    ]) {
      const r = await get(path, format)
      expect(r.status).toBe(400)
      expect(r.text).toContain('jurisdiction_id')
    }
    expect((await get('services.{f}?jurisdiction_id=phan-thiet', format)).status).toBe(200)
    const form = {
      api_key: testTokens.feed,
      service_code: 'water',
      lat: '10.93',
      long: '108.1',
      description: 'Ngập',
    }
    const foreign = await post('requests', { ...form, jurisdiction_id: 'paris' }, format)
    expect(foreign.status).toBe(400)
    expect(foreign.text).toContain('jurisdiction_id')
    const kept = await post(
      'requests',
      { ...form, jurisdiction_id: 'phan-thiet', 'attribute[depth]': '30cm', 'attribute[road_closed]': 'yes' },
      format,
    )
    expect(kept.status).toBe(200)
    const id =
      format === 'json' ? kept.json[0].service_request_id : xmlValues(kept.text, 'service_request_id')[0]!
    expect((await ticketRow(id.slice(testFeedSource.length + 1))).attributes).toEqual({
      depth: '30cm',
      road_closed: 'yes',
    })
  })

  it('6. warns in the answer when a point is outside the city (Paris), storing it without a ward', async () => {
    const created = await post(
      'requests',
      {
        api_key: testTokens.feed,
        service_code: 'lighting',
        lat: '48.8566',
        long: '2.3522',
        description: 'Tour Eiffel',
      },
      format,
    )
    expect(created.status).toBe(200)
    const notice =
      format === 'json' ? created.json[0].service_notice : xmlValues(created.text, 'service_notice')[0]
    expect(notice).toContain('outside the city')
    const id =
      format === 'json'
        ? created.json[0].service_request_id
        : xmlValues(created.text, 'service_request_id')[0]!
    expect((await ticketRow(id.slice(testFeedSource.length + 1))).ward_code).toBeNull()
    const inside = await post(
      'requests',
      { api_key: testTokens.feed, service_code: 'lighting', lat: '10.93', long: '108.1' },
      format,
    )
    const insideNotice =
      format === 'json' ? inside.json[0].service_notice : xmlValues(inside.text, 'service_notice')[0]
    expect(insideNotice).not.toContain('outside')
  })

  it('6. pages servicerequestupdates oldest first, so a busy window loses nothing', async () => {
    const since = (await server.db.sql`select now() as now`)[0]!.now as Date
    const ref = `paged-${format}`
    await feedTicket({
      ref,
      updatedAt: '2026-11-27T01:00:00Z',
      receivedAt: '2026-11-27T01:00:00Z',
      status: 'received',
    })
    const posted: string[] = []
    for (let i = 1; i <= 5; i++) {
      const r = await fmsUpdate(
        ref,
        { description: `bình luận ${i}`, updated_datetime: `2026-11-27T0${i + 1}:00:00Z` },
        format,
      )
      posted.push(updateIdOf(r, format))
    }
    const seen: string[] = []
    let next: string | null =
      `/open311/v2/servicerequestupdates.${format}?start_date=${encodeURIComponent(since.toISOString())}&end_date=2100-01-01T00:00:00Z&page_size=2`
    let pages = 0
    while (next && pages < 10) {
      const res: Response = await fetch(`${server.url}${next}`)
      expect(res.status).toBe(200)
      const text = await res.text()
      const ids =
        format === 'json'
          ? JSON.parse(text).map((u: { update_id: string }) => u.update_id)
          : xmlValues(text, 'update_id')
      expect(ids.length).toBeLessThanOrEqual(2)
      seen.push(...ids)
      next = /<([^>]+)>; rel="next"/.exec(res.headers.get('link') ?? '')?.[1] ?? null
      pages++
    }
    expect(pages).toBe(3)
    expect(seen).toEqual(posted)
    const tooBig = await get('servicerequestupdates.{f}?page_size=1001', format)
    expect(tooBig.status).toBe(400)
    expect(tooBig.text).toContain('page_size')
  })

  it('6. lets any web page read the public GETs (CORS), never the writes', async () => {
    for (const path of ['services', 'requests', 'discovery', 'servicerequestupdates', 'nothing-here']) {
      const res = await fetch(`${server.url}/open311/v2/${path}.${format}`, {
        headers: { origin: 'https://map.example.org' },
      })
      expect(res.headers.get('access-control-allow-origin'), path).toBe('*')
    }
    const write = await fetch(`${server.url}/open311/v2/requests.${format}`, {
      method: 'POST',
      headers: { origin: 'https://map.example.org' },
      body: new URLSearchParams({
        api_key: testTokens.feed,
        service_code: 'waste',
        lat: '10.93',
        long: '108.1',
      }),
    })
    expect(write.status).toBe(200)
    expect(write.headers.get('access-control-allow-origin')).toBeNull()
  })
})
