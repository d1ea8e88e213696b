import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { formats, open311Server, xmlValues } from './support/open311'
import { testTokens } from './support/test-server'

// Open311 Service Discovery and services: what a GeoReport client reads first, the group of each
// service, the 404 of an unknown path, and CORS on the public GETs.
const open311 = open311Server()
const { get } = open311

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
})

it('answers unknown Open311 paths and formats with a GeoReport 404', async () => {
  const res = await fetch(`${open311.server.url}/open311/v2/services.txt`)
  expect(res.status).toBe(404)
  expect(await res.json()).toEqual([{ code: 404, description: expect.any(String) }])
})

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
            url: `${open311.server.url}/open311/v2`,
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
        `<endpoints><endpoint><specification>http://wiki.open311.org/GeoReport_v2</specification><url>${open311.server.url}/open311/v2</url>`,
      )
      expect(found.text).toContain(
        '<type>production</type><formats><format>text/xml</format><format>application/json</format></formats>',
      )
    }
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

  it('6. lets any web page read the public GETs (CORS), never the writes', async () => {
    for (const path of ['services', 'requests', 'discovery', 'servicerequestupdates', 'nothing-here']) {
      const res = await fetch(`${open311.server.url}/open311/v2/${path}.${format}`, {
        headers: { origin: 'https://map.example.org' },
      })
      expect(res.headers.get('access-control-allow-origin'), path).toBe('*')
    }
    const write = await fetch(`${open311.server.url}/open311/v2/requests.${format}`, {
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
