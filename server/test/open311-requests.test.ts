import { describe, expect, it } from 'vitest'
import { formats, open311Server, xmlValues } from './support/open311'
import { testFeedSource, testTokens } from './support/test-server'

// Open311 GET requests: the GeoReport fields, filters and errors, and jurisdiction_id.
const open311 = open311Server()
const { get, post, ticketRow } = open311

describe.each(formats)('Open311 GeoReport v2 (%s)', (format) => {
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
})

describe.each(formats)('FixMyStreet against Open311 (%s)', (format) => {
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
})
