import { afterAll, beforeAll, expect } from 'vitest'
import { requestJson } from './http'
import { startTestServer, type TestServer, testFeedSource, testTokens } from './test-server'

// The Open311 test files' server and clients: one server per file at a fixed clock, holding two
// tickets (A&1 open, B2 resolved), and GeoReport GETs and POSTs in either format.

export const formats = ['json', 'xml'] as const
export type Format = (typeof formats)[number]

const now = new Date('2026-11-28T03:00:00Z')

/** Stores tickets through the JSON feed, as the city's own system would. */
async function ingestTickets(url: string, tickets: unknown) {
  const res = await requestJson(`${url}/api/v1/feeds/tickets`, { token: testTokens.feed, body: tickets })
  expect(res.status).toBeLessThan(300)
}

/** Starts the server before the file's tests and stops it after; its clients read it then. */
export function open311Server() {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({}, { clock: () => now })
    await ingestTickets(server.url, [
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
    ])
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
  /** Stores one ticket through the JSON feed, as the city's own system would. */
  const feedTicket = (ticket: Record<string, unknown>) =>
    ingestTickets(server.url, {
      source: testFeedSource,
      category: 'waste',
      title: 'Rác',
      location: { lat: 10.94, lng: 108.11 },
      ...ticket,
    })
  const ticketRow = async (ref: string) =>
    (
      await server.db.sql`select status, resolved_at, closed_at, updated_at, lat, lng, ward_code, attributes
      from tickets where source = ${testFeedSource} and ref = ${ref}`
    )[0]!
  /** A FixMyStreet update of the test feed's ticket `ref`. */
  const fmsUpdate = (ref: string, form: Record<string, string>, format: Format = 'json') =>
    post(
      'servicerequestupdates',
      { api_key: testTokens.feed, service_request_id: `${testFeedSource}:${ref}`, ...form },
      format,
    )

  return {
    get server() {
      return server
    },
    get,
    post,
    feedTicket,
    ticketRow,
    fmsUpdate,
  }
}

/** Text of every `<name>` element in an XML document (the documents here are flat and escaped). */
export const xmlValues = (xml: string, name: string) =>
  [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>|<${name}/>`, 'g'))].map((m) =>
    (m[1] ?? '').replace(
      /&(amp|lt|gt|quot|apos);/g,
      (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e]!,
    ),
  )

/** The update_id of a servicerequestupdates answer. */
export const updateIdOf = (r: { json: unknown; text: string }, format: Format) =>
  format === 'json'
    ? (r.json as Array<{ update_id: string }>)[0]!.update_id
    : xmlValues(r.text, 'update_id')[0]!
