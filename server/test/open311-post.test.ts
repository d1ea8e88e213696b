import { describe, expect, it } from 'vitest'
import { formats, open311Server, xmlValues } from './support/open311'
import { testFeedSource, testTokens } from './support/test-server'

// Open311 POST requests: a report becomes a ticket through the ingest path; who may post and
// what a report must hold.
const open311 = open311Server()
const { get, post, ticketRow } = open311

describe.each(formats)('Open311 GeoReport v2 (%s)', (format) => {
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
    const [row] = await open311.server.db
      .sql`select title, channel, ward_code, reporter, due_at from tickets where ref = ${ref}`
    expect(row).toMatchObject({
      title: `Vỡ ống nước (${format})`,
      channel: 'open311',
      reporter: { name: 'Văn A', email: 'dan@example.org' },
    })
    expect(row!.ward_code).not.toBeNull()
    expect((row!.due_at as Date).toISOString()).toBe('2026-11-28T11:00:00.000Z')
    const logged = await open311.server.db.sql`select op from change_log where ref = ${ref}`
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
})

describe.each(formats)('FixMyStreet against Open311 (%s)', (format) => {
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
})
