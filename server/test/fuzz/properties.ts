import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { type FeedName, feedNames } from '@citydeck/shared'
import { parse as parseCsv } from 'csv-parse/sync'
import fc from 'fast-check'
import { importCsv } from '../../src/feeds/csv-import'
import { feedTables, invalidItem, validItem } from '../feeds-arbitraries'
import { type Caller, type FuzzTarget, fuzzSecrets, fuzzSource, type Known } from './target'
import { mutated, nastyText, nastyTexts, nastyValue, percentEncode } from './values'

/**
 * The fuzz properties of issue #15, shared by `server/test/fuzz/fuzz.test.ts` (bounded, in
 * `npm test`) and `server/bench/fuzz.ts` (many more runs). Over every route, body kind and
 * query parameter, with every role's token: no 5xx; every 400/422 names the field or
 * parameter; nothing stored from a rejected item, and the good items of a batch stored.
 */

// ---------------------------------------------------------------------------------------------
// Requests and what is checked of every answer

export type FuzzRequest = {
  method: string
  /** The path, already percent-encoded. */
  path: string
  query?: Array<[string, string]>
  caller: Caller
  contentType?: string
  body?: string | Uint8Array<ArrayBuffer>
  headers?: Record<string, string>
}
export type FuzzResponse = { status: number; text: string; json: unknown }

export type Violation = {
  kind: '5xx' | 'reset' | 'nameless' | 'shape' | 'stored' | 'lost'
  detail: string
  request: string
}

/** What a run saw; in `throw` mode the first violation fails the property (and is shrunk). */
export class FuzzStats {
  requests = 0
  statuses: Record<string, number> = {}
  violations: Violation[] = []
  readonly routesHit = new Set<string>()
  constructor(readonly mode: 'throw' | 'count') {}

  count(kind: Violation['kind']): number {
    return this.violations.filter((v) => v.kind === kind).length
  }

  violation(v: Violation): void {
    this.violations.push(v)
    if (this.mode === 'throw') throw new Error(`${v.kind}: ${v.detail}\n  request: ${v.request}`)
  }
}

const callerSecret = (caller: Caller): string | null =>
  caller === 'none' ? null : caller === 'unknown' ? 'fuzz-unknown-secret-000' : fuzzSecrets[caller]

function describe(req: FuzzRequest): string {
  const query = req.query?.length ? `?${encodeQuery(req.query)}` : ''
  const body =
    req.body === undefined
      ? ''
      : ` ${req.contentType ?? '(no type)'} ${JSON.stringify(typeof req.body === 'string' ? req.body.slice(0, 600) : `<${req.body.byteLength} bytes>`)}`
  return `${req.method} ${req.path}${query} as ${req.caller}${body}`.slice(0, 1500)
}

const encodeQuery = (query: Array<[string, string]>) =>
  query.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&')

export async function send(t: FuzzTarget, stats: FuzzStats, req: FuzzRequest): Promise<FuzzResponse> {
  const n = ++stats.requests
  const headers: Record<string, string> = {
    // Each request from an address of its own (TRUSTED_PROXIES is this machine).
    'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
    ...req.headers,
  }
  const secret = callerSecret(req.caller)
  if (secret) headers.authorization = `Bearer ${secret}`
  if (req.contentType) headers['content-type'] = req.contentType
  const query = req.query?.length ? `?${encodeQuery(req.query)}` : ''
  const attempt = async () => {
    const res = await fetch(`${t.url}${req.path}${query}`, {
      method: req.method,
      headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : req.body,
      redirect: 'manual',
    })
    return { res, text: await res.text() }
  }
  let res: Response
  let text: string
  try {
    // Once more when the connection was cut: a kept-alive connection the server closed as the
    // request left is the client's race; a cut that happens twice is the server's doing.
    ;({ res, text } = await attempt().catch(attempt))
  } catch (error) {
    // No answer at all (the connection was cut): as bad as a 5xx for the client.
    const cause = (error as Error & { cause?: Error }).cause
    stats.violation({
      kind: 'reset',
      detail: `${(error as Error).message}: ${cause?.message ?? ''}`,
      request: describe(req),
    })
    return { status: 0, text: '', json: undefined }
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  stats.statuses[res.status] = (stats.statuses[res.status] ?? 0) + 1
  const answer = { status: res.status, text, json }
  check(stats, req, answer)
  return answer
}

/** Parameter names GeoReport clients send; an Open311 400 names one of them. */
const open311Params = [
  'api_key',
  'service_code',
  'lat',
  'long',
  'address_string',
  'description',
  'email',
  'phone',
  'first_name',
  'last_name',
  'media_url',
  'service_request_id',
  'status',
  'updated_datetime',
  'update_id',
  'start_date',
  'end_date',
  'jurisdiction_id',
  'page',
  'page_size',
]

// biome-ignore lint/suspicious/noExplicitAny: answers are inspected as arbitrary JSON
type AnyJson = any

/** The checks every answer passes, whatever the request. */
function check(stats: FuzzStats, req: FuzzRequest, res: FuzzResponse): void {
  const request = describe(req)
  const answer = `${res.status} ${res.text.slice(0, 400)}`
  if (res.status >= 500) {
    stats.violation({ kind: '5xx', detail: answer, request })
    return
  }
  // Node's HTTP parser refuses a request line or headers past its limit before any route runs.
  if (res.status < 400 || res.status === 431 || res.status === 414) return
  if (req.path.startsWith('/open311/') && req.method !== 'HEAD') {
    const description = open311Description(res)
    if (description === null) {
      stats.violation({ kind: 'shape', detail: answer, request })
      return
    }
    if (res.status === 400 && !open311Params.some((p) => description.includes(p))) {
      stats.violation({ kind: 'nameless', detail: answer, request })
    }
    return
  }
  // A HEAD answer has no body; outside /api/ (the client's paths, /metrics) errors are plain text.
  if (req.method === 'HEAD' || !req.path.startsWith('/api/')) return
  const error = (res.json as AnyJson)?.error
  if (typeof error?.code !== 'string' || typeof error?.message !== 'string') {
    stats.violation({ kind: 'shape', detail: answer, request })
    return
  }
  if ((res.status === 400 || res.status === 422) && !(typeof error.field === 'string' && error.field)) {
    stats.violation({ kind: 'nameless', detail: answer, request })
  }
}

function open311Description(res: FuzzResponse): string | null {
  const json = res.json as AnyJson
  if (Array.isArray(json) && typeof json[0]?.description === 'string') return json[0].description
  const xml = /<error>\s*<code>\d+<\/code>\s*<description>([\s\S]*?)<\/description>/.exec(res.text)
  return xml ? xml[1]! : null
}

/** A 400/422 names one of `names` (its field's first segment): the parameter that was wrong. */
function blames(stats: FuzzStats, req: FuzzRequest, res: FuzzResponse, names: string[]): void {
  if (res.status !== 400 && res.status !== 422) return
  const field: string = req.path.startsWith('/open311/')
    ? (open311Description(res) ?? '')
    : String((res.json as AnyJson)?.error?.field ?? '')
  const named = req.path.startsWith('/open311/')
    ? names.some((n) => field.includes(n))
    : names.includes(field.split('.')[0]!) || names.includes(field)
  if (!named) {
    stats.violation({
      kind: 'nameless',
      detail: `${res.status} names ${JSON.stringify(field)}, not one of ${names.join(', ')}: ${res.text.slice(0, 300)}`,
      request: describe(req),
    })
  }
}

// ---------------------------------------------------------------------------------------------
// The routes: every one the app registers, with what its path parameters and query take

const text = (valid: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 3, arbitrary: valid }, { weight: 2, arbitrary: nastyText })
const validDate = fc
  .date({ min: new Date('2026-10-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) =>
    d
      .toISOString()
      .replace('Z', '+07:00')
      .replace(/\.\d{3}/, ''),
  )
/** A leader view's city-local day, a nonexistent one now and then. */
const localDay = fc.oneof(
  validDate.map((d) => d.slice(0, 10)),
  fc.constantFrom('2026-02-30', '1900-01-01', '2999-12-31'),
)
const w3cDate = fc.oneof(
  validDate,
  validDate.map((d) => d.slice(0, 10)),
)
const limit = fc.oneof(fc.integer({ min: -2, max: 600 }).map(String), fc.constantFrom('1', '100', '500'))

type Param = (k: Known) => fc.Arbitrary<string>
type RouteInput = {
  /** Generators of the path parameters, by name. */
  params?: Record<string, Param>
  /** Generators of the query parameters this route reads (any others are ignored). */
  query?: (k: Known) => Record<string, fc.Arbitrary<string>>
  /** The valid-ish JSON body of a write, mutated by the body property. */
  body?: (k: Known) => fc.Arbitrary<unknown>
  /** Query parameters it needs: a 400 may name one of them though it was not sent. */
  required?: string[]
  /** Who may call it; other callers are fuzzed too (and must get a clean 401/403). */
  callers: Caller[]
}

const pick = (values: string[]) => (values.length ? fc.constantFrom(...values) : fc.constant('none'))
const sourceRef = (list: (k: Known) => string[]): Record<string, Param> => ({
  source: (k) => text(pick([fuzzSource, ...list(k).map((s) => s.split('/')[0]!)])),
  ref: (k) => text(pick(list(k).map((s) => s.split('/').slice(1).join('/')))),
})
const itemQuery = (k: Known) => ({
  ward: text(pick(k.wards)),
  unit: text(pick(k.units)),
  category: text(pick(k.categories)),
  procedureCode: text(fc.constantFrom('1.001', '2.002')),
  field: text(fc.constantFrom('Hộ tịch', 'Đất đai')),
  status: text(fc.constantFrom('received', 'open', 'done', 'processing')),
  open: text(fc.constantFrom('true', 'false')),
  from: text(validDate),
  to: text(validDate),
  q: text(fc.constantFrom('đèn', 'rác', '0912')),
  sort: text(fc.constantFrom('receivedAt', '-receivedAt')),
  limit: text(limit),
  cursor: text(
    fc.constantFrom(
      'eyJhdCI6IjIwMjYifQ',
      Buffer.from('{"at":"0000-01-01","source":"a","ref":"b"}').toString('base64url'),
      Buffer.from('{"at":"2026-11-28T00:00:00Z","source":"a\\u0000","ref":"\\ud800"}').toString('base64url'),
    ),
  ),
})
const kpiQuery = (k: Known) => ({
  from: text(validDate),
  to: text(validDate),
  ward: text(pick(k.wards)),
  unit: text(pick(k.units)),
  category: text(pick(k.categories)),
})
const open311Window = () => ({ start_date: text(w3cDate), end_date: text(w3cDate) })
const open311Query = (k: Known) => ({
  ...open311Window(),
  status: text(fc.constantFrom('open', 'closed', 'open,closed', 'OPEN')),
  service_code: text(pick(k.categories)),
  service_request_id: text(pick(k.tickets.map((t) => t.replace('/', ':')))),
  jurisdiction_id: text(fc.constantFrom('phan-thiet', 'phanthiet')),
  page: text(fc.constantFrom('1', '2', '0', 'x')),
  page_size: text(fc.constantFrom('1', '1000', '1001')),
})
const open311File = (names: string[]) => () =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.constantFrom(...names), fc.constantFrom('.json', '.xml', '.JSON', '', '.txt'))
        .map(([n, f]) => n + f),
    },
    { weight: 1, arbitrary: nastyText.map((s) => `${s}.json`) },
    { weight: 1, arbitrary: nastyText },
  )
const directiveBody = (k: Known) =>
  fc.record(
    {
      subject: fc.oneof(
        ...(['ticket', 'dossier'] as const).map((kind) =>
          fc.record({
            kind: fc.constant(kind),
            source: fc.constant(fuzzSource),
            ref: pick(k[`${kind}s`].map((t) => t.split('/')[1]!)),
          }),
        ),
      ),
      unit: pick(k.units),
      instruction: fc.constantFrom('Xử lý ngay', 'Báo cáo trước 17h'),
      // A deadline is in the future (docs/design.md §9): 1 hour to 60 days from now.
      dueAt: fc
        .integer({ min: 1, max: 60 * 24 })
        .map((h) => new Date(Date.now() + h * 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z')),
      priority: fc.constantFrom('normal', 'urgent'),
    },
    { requiredKeys: ['instruction'] },
  )
const snapshotBody = (k: Known) =>
  fc.record(
    {
      view: fc.constantFrom('city', 'ward', 'tickets', 'dossiers'),
      filters: fc.record(
        {
          preset: fc.constantFrom('today', '7d', 'custom'),
          from: fc.constantFrom('2026-11-01', '2026-11-20'),
          to: fc.constantFrom('2026-11-28', '2026-11-21'),
          ward: pick(k.wards),
          unit: pick(k.units),
          category: pick(k.categories),
          q: fc.constantFrom('đèn', 'rác'),
          sort: fc.constantFrom('receivedAt', '-receivedAt'),
        },
        { requiredKeys: ['from', 'to'] },
      ),
      title: fc.constantFrom('Giao ban sáng', 'Tuần 48'),
      expiresInDays: fc.integer({ min: 1, max: 30 }),
    },
    { requiredKeys: ['view', 'filters'] },
  )

const everyone: Caller[] = ['admin', 'leader', 'display', 'feed', 'unit', 'metrics', 'none', 'unknown']

/**
 * Every registered route (`fuzz.test.ts` checks this table against the app's own list, so a new
 * route cannot be forgotten), with what its inputs take.
 */
export const routeInputs: Record<string, RouteInput> = {
  'GET /api/v1/health': { callers: everyone },
  'GET /metrics': { callers: ['admin', 'metrics'] },
  'GET /api/v1/city': { callers: everyone },
  'POST /api/v1/session': {
    callers: ['none'],
    body: () => fc.record({ token: fc.constantFrom(...Object.values(fuzzSecrets), 'nope') }),
  },
  'GET /api/v1/session': { callers: ['display', 'leader', 'admin'] },
  'DELETE /api/v1/session': { callers: everyone },
  'POST /api/v1/login': {
    callers: ['none'],
    body: () =>
      fc.record({
        name: fc.constantFrom('admin', 'lanh-dao', 'an'),
        password: fc.constantFrom('x', 'correct horse'),
      }),
  },
  'POST /api/v1/snapshots': { callers: ['leader', 'admin'], body: snapshotBody },
  'GET /api/v1/snapshots': { callers: ['leader', 'admin'] },
  'DELETE /api/v1/snapshots/:id': { callers: ['leader', 'admin'], params: { id: () => nastyText } },
  'GET /api/v1/snapshots/:file': {
    callers: everyone,
    // A known snapshot is asked as data only: a .pdf or .png of it would start Chromium.
    params: {
      file: (k) =>
        fc.oneof(
          pick(k.snapshots),
          pick(k.snapshots).map((id) => `${id}.json`),
          fc.tuple(nastyText, fc.constantFrom('', '.pdf', '.png', '.x')).map(([s, f]) => `${s}${f}`),
        ),
    },
  },
  'GET /api/v1/briefings': { callers: ['leader', 'admin'] },
  // No valid body is drawn: one would start a real briefing (Chromium) in the background. The
  // route still gets every caller and random bodies from the route property.
  'POST /api/v1/briefings': { callers: ['leader', 'admin'] },
  'GET /api/v1/procedures': { callers: ['leader', 'admin', 'unit'] },
  'GET /api/v1/units/scorecard': {
    callers: ['display', 'leader', 'admin'],
    query: () => ({ from: text(validDate), to: text(validDate) }),
  },
  'GET /api/v1/briefings/:file{\\d{4}-\\d{2}-\\d{2}\\.pdf}': {
    callers: ['leader', 'admin'],
    params: {
      file: () =>
        fc
          .tuple(
            fc.integer({ min: 0, max: 9999 }),
            fc.integer({ min: 0, max: 99 }),
            fc.integer({ min: 0, max: 99 }),
          )
          .map(
            ([y, m, d]) =>
              `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}.pdf`,
          ),
    },
  },
  'GET /api/v1/kpis': {
    callers: ['display', 'leader', 'admin'],
    query: (k: Known) => ({ ...kpiQuery(k), include: text(fc.constantFrom('fullOnlineDossiers', 'all')) }),
  },
  'GET /api/v1/kpis/breakdown': {
    callers: ['display', 'leader', 'admin'],
    required: ['by'],
    query: (k) => ({
      ...kpiQuery(k),
      by: text(fc.constantFrom('ward', 'unit', 'category', 'hour', 'day', 'channel')),
    }),
  },
  'GET /api/v1/leader-view': {
    callers: ['display', 'leader', 'admin', 'unit'],
    required: ['view', 'from', 'to'],
    query: (k) => ({
      view: text(fc.constantFrom('city', 'ward', 'tickets', 'dossiers', 'wall')),
      preset: text(fc.constantFrom('today', '7d', 'month', 'custom', 'week')),
      from: text(localDay),
      to: text(localDay),
      ward: text(pick(k.wards)),
      unit: text(pick(k.units)),
      category: text(pick(k.categories)),
      field: text(fc.constantFrom('Hộ tịch', 'Đất đai')),
      q: text(fc.constantFrom('đèn', 'rác', '0912')),
      sort: text(fc.constantFrom('receivedAt', '-receivedAt', 'dueAt')),
      sla: text(fc.constantFrom('overdue', 'soon', 'ontime')),
      status: text(fc.constantFrom('received', 'processing', 'done')),
    }),
  },
  'POST /api/v1/feeds/:feed': {
    callers: ['feed', 'admin'],
    params: { feed: () => text(fc.constantFrom(...feedNames)) },
  },
  'POST /api/v1/tokens': {
    callers: ['admin'],
    body: () =>
      fc.record(
        {
          role: fc.constantFrom('display', 'leader', 'feed:fuzz-b', 'unit:fuzz-u'),
          label: fc.constantFrom('màn hình 1', 'hotline'),
        },
        { requiredKeys: ['role'] },
      ),
  },
  'GET /api/v1/tokens': { callers: ['admin'] },
  'DELETE /api/v1/tokens/:id': {
    callers: ['admin'],
    // Never one of the fuzzer's own tokens (their ids are known), whatever the spelling.
    params: {
      id: (k) =>
        nastyText.map((s) =>
          k.seededTokenIds.includes(Number(s)) || k.seededTokenIds.includes(Number.parseInt(s, 10))
            ? '999999'
            : s,
        ),
    },
  },
  'POST /api/v1/directives': {
    callers: ['leader', 'admin'],
    // A directive names its unit, or a subject whose unit it takes (docs/design.md §9).
    body: (k) => directiveBody(k).filter((d) => d.unit !== undefined || d.subject !== undefined),
  },
  'GET /api/v1/tasks': {
    callers: ['leader', 'admin', 'unit'],
    query: (k) => ({
      unit: text(pick(k.units)),
      ward: text(pick(k.wards)),
      status: text(fc.constantFrom('assigned', 'done')),
      open: text(fc.constantFrom('true', 'false')),
      sla: text(fc.constantFrom('overdue', 'soon', 'ontime')),
      subject: text(pick(k.tickets.map((t) => `ticket:${t.replace('/', ':')}`))),
      sort: text(fc.constantFrom('dueAt', '-issuedAt')),
      limit: text(limit),
      cursor: itemQuery(k).cursor,
    }),
  },
  'GET /api/v1/tasks/:source/:ref': {
    callers: ['leader', 'admin', 'unit'],
    params: sourceRef((k) => k.tasks),
  },
  'POST /api/v1/tasks/:source/:ref/reports': {
    callers: ['leader', 'admin', 'unit'],
    params: sourceRef((k) => k.tasks),
    body: () =>
      fc.record(
        {
          status: fc.constantFrom('accepted', 'in_progress'),
          progress: fc.integer({ min: 0, max: 100 }),
          note: fc.constantFrom('Đang xử lý', 'Đã tới hiện trường'),
        },
        { requiredKeys: ['note'] },
      ),
  },
  'POST /api/v1/alerts/:kind/:source/:ref/ack': {
    callers: ['leader', 'admin'],
    params: {
      kind: () => text(fc.constantFrom('ticket_overdue', 'dossier_overdue', 'task_overdue')),
      ...sourceRef((k) => k.tickets),
    },
    body: (k) =>
      fc.record(
        {
          note: fc.constantFrom('Đã nhận', 'Giao phường'),
          directive: directiveBody(k).map(({ subject: _, ...d }) => d),
        },
        { requiredKeys: [] },
      ),
  },
  'GET /api/v1/audit': {
    callers: ['admin'],
    query: () => ({ limit: text(limit), before: text(fc.integer({ min: -1, max: 1e6 }).map(String)) }),
  },
  'GET /api/v1/tickets': { callers: ['leader', 'admin', 'unit'], query: itemQuery },
  'GET /api/v1/tickets/:source/:ref': {
    callers: ['leader', 'admin', 'unit'],
    params: sourceRef((k) => k.tickets),
  },
  'GET /api/v1/dossiers': { callers: ['leader', 'admin', 'unit'], query: itemQuery },
  'GET /api/v1/dossiers/:source/:ref': {
    callers: ['leader', 'admin', 'unit'],
    params: sourceRef((k) => k.dossiers),
  },
  'GET /open311/v2/services/:file': {
    callers: ['none'],
    params: { file: (k) => open311File(k.categories)() },
  },
  'GET /open311/v2/requests/:file': {
    callers: ['none'],
    params: { file: (k) => open311File(k.tickets.map((t) => t.replace('/', ':')))() },
  },
  'GET /open311/v2/tokens/:file': {
    callers: ['none'],
    params: { file: (k) => open311File(k.tickets.map((t) => t.split('/')[1]!))() },
  },
  'GET /open311/v2/:file': {
    callers: ['none'],
    params: { file: open311File(['services', 'requests', 'servicerequestupdates', 'discovery']) },
    query: open311Query,
  },
  'POST /open311/v2/:file': {
    callers: ['none'],
    params: { file: open311File(['requests', 'servicerequestupdates']) },
  },
  'GET /api/v1/openapi.json': { callers: ['none'] },
  'GET /api/docs/scalar.js': { callers: ['none'] },
  'GET /api/docs/start.js': { callers: ['none'] },
  'GET /api/docs': { callers: ['none'] },
  'GET /assets/*': {
    callers: ['none'],
    params: { '*': () => fc.oneof(fc.constant('index-fuzz.js'), nastyText) },
  },
  'GET /*': {
    callers: ['none'],
    params: {
      '*': () => fc.oneof(fc.constantFrom('index.html', 'leader', 'wall', 'assets/../index.html'), nastyText),
    },
  },
}

/** The path of `pattern` with its parameters filled from `values`, percent-encoded. */
export function fillPath(pattern: string, values: Record<string, string>): string {
  return pattern
    .replace(/:(\w+)(\{(?:[^{}]|\{[^}]*\})*\})?/g, (_, name: string) => percentEncode(values[name] ?? ''))
    .replace(/\*$/, () => percentEncode(values['*'] ?? ''))
}

const methodOf = (route: string) => route.split(' ')[0]!
const patternOf = (route: string) => route.slice(route.indexOf(' ') + 1)

function paramsFor(route: string, k: Known): fc.Arbitrary<Record<string, string>> {
  const params = routeInputs[route]?.params ?? {}
  const entries = Object.entries(params).map(([name, gen]) => [name, gen(k)] as const)
  return fc.record(Object.fromEntries(entries) as Record<string, fc.Arbitrary<string>>)
}

const callerFor = (route: string) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...routeInputs[route]!.callers) },
    { weight: 1, arbitrary: fc.constantFrom(...everyone) },
  )

// ---------------------------------------------------------------------------------------------
// Body kinds

type Body = { contentType?: string; body?: string | Uint8Array<ArrayBuffer>; kind: string }

const jsonTypes = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'Application/JSON')
const wrongTypes = fc.constantFrom(
  undefined,
  'text/plain',
  'text/plain;charset=UTF-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xx',
  'text/csv',
  'application/x-ndjson',
  'application/xml',
  'application/jsonx',
  '',
)
const notJson = fc.constantFrom(
  '',
  '{',
  '{"a":',
  '[1,',
  'nul',
  'undefined',
  "{'a':1}",
  '{"a":1}{"b":2}',
  '\u0000',
  '{"a":"\\ud800"}',
  '{"__proto__":{"admin":true}}',
  'a=b&c=d',
  'source;ref;updatedAt\nx;1;28/11/2026',
  `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  `{"a":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`,
)
const badBytes = fc.constantFrom(
  new Uint8Array([0xff, 0xfe, 0x7b]),
  new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]),
  new Uint8Array([0xc0, 0x80]),
)

/** Every body kind a JSON route can be sent, around its valid-ish object. */
function jsonBodies(
  valid: fc.Arbitrary<unknown>,
): fc.Arbitrary<Body & { sent?: unknown; path?: string | null }> {
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc.tuple(mutated(valid), jsonTypes).map(([m, type]) => ({
        kind: 'json',
        contentType: type,
        body: JSON.stringify(m.value) ?? 'null',
        sent: m.value,
        path: m.path,
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(valid, wrongTypes)
        .map(([v, type]) => ({ kind: 'wrong type', contentType: type, body: JSON.stringify(v) })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(notJson, jsonTypes)
        .map(([body, type]) => ({ kind: 'not json', contentType: type, body })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(badBytes, jsonTypes)
        .map(([body, type]) => ({ kind: 'bad bytes', contentType: type, body })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          valid,
          fc.constantFrom<(v: unknown) => unknown>(
            (v) => [v],
            (v) => ({ data: v }),
            () => 'x',
            () => 5,
            () => null,
          ),
        )
        .map(([v, f]) => ({
          kind: 'json reshaped',
          contentType: 'application/json',
          body: JSON.stringify(f(v)),
        })),
    },
  )
}

// ---------------------------------------------------------------------------------------------
// The properties

export type FuzzProperty = {
  name: string
  /** The routes it fuzzes (the route-set check needs every route in at least one). */
  routes: (t: FuzzTarget) => string[]
  /** Its arbitrary of one case. */
  cases: (t: FuzzTarget) => fc.Arbitrary<FuzzCase>
  run: (t: FuzzTarget, stats: FuzzStats, c: FuzzCase) => Promise<void>
  /** Relative run count (an ingest batch costs more than a GET). */
  weight: number
}
// biome-ignore lint/suspicious/noExplicitAny: each property's cases are its own shape
type FuzzCase = any

/** One request to `route` with any method, caller, path parameters, query and body. */
const anyRequest = (t: FuzzTarget, route: string) =>
  fc.record({
    route: fc.constant(route),
    method: fc.oneof(
      { weight: 6, arbitrary: fc.constant(methodOf(route)) },
      { weight: 1, arbitrary: fc.constantFrom('PUT', 'PATCH', 'DELETE', 'POST', 'OPTIONS', 'HEAD') },
    ),
    params: paramsFor(route, t.known),
    caller: callerFor(route),
    query: fc.array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom('token', 'limit', 'from', 'to', 'unit', 'api_key', 'format', 'cursor'),
          nastyText,
        ),
        nastyText,
      ),
      { maxLength: 3 },
    ),
    body: fc.option(jsonBodies(fc.dictionary(fc.string({ maxLength: 8 }), nastyValue, { maxKeys: 4 })), {
      nil: undefined,
    }),
  })

/** Every route, each run: any method, caller, path parameters, query and body; never a 5xx. */
const anyRoute: FuzzProperty = {
  name: 'every route with any caller, parameters and body',
  weight: 1,
  routes: (t) => t.routes,
  cases: (t) => fc.tuple(...t.routes.map((route) => anyRequest(t, route))),
  run: async (t, stats, cases) => {
    for (const c of cases) {
      stats.routesHit.add(c.route)
      await send(t, stats, {
        method: c.method,
        path: fillPath(patternOf(c.route), c.params),
        query: c.query,
        caller: c.caller,
        ...(c.body ? { contentType: c.body.contentType, body: c.body.body } : {}),
      })
    }
  },
}

/** Every query parameter of every GET, valid and hostile values mixed: a 400 names a sent one. */
const queries: FuzzProperty = {
  name: 'query parameters of every GET',
  weight: 8,
  routes: (t) => t.routes.filter((r) => routeInputs[r]?.query),
  cases: (t) =>
    fc.constantFrom(...t.routes.filter((r) => routeInputs[r]?.query)).chain((route) => {
      const defs = routeInputs[route]!.query!(t.known)
      return fc.record({
        route: fc.constant(route),
        params: paramsFor(route, t.known),
        caller: callerFor(route),
        query: fc
          .subarray(Object.keys(defs))
          .chain((names) => fc.tuple(...names.map((n) => defs[n]!.map((v) => [n, v] as [string, string])))),
        repeat: fc.boolean(),
      })
    }),
  run: async (t, stats, c) => {
    stats.routesHit.add(c.route)
    const query: Array<[string, string]> = c.query
    // Repeating a parameter (?unit=a&unit=b) is how a client sends a list by mistake.
    if (c.repeat && query.length) query.push(query[0]!)
    const req: FuzzRequest = {
      method: 'GET',
      path: fillPath(patternOf(c.route), c.params),
      query,
      caller: c.caller,
    }
    const res = await send(t, stats, req)
    blames(stats, req, res, [
      ...query.map(([k]) => k),
      ...Object.keys(c.params),
      ...(routeInputs[c.route]!.required ?? []),
    ])
  },
}

/** Every JSON write, with mutated fields and every body kind: a 400/422 names the field. */
const writes: FuzzProperty = {
  name: 'JSON bodies of every write',
  weight: 6,
  routes: (t) => t.routes.filter((r) => routeInputs[r]?.body),
  cases: (t) =>
    fc.constantFrom(...t.routes.filter((r) => routeInputs[r]?.body)).chain((route) =>
      fc.record({
        route: fc.constant(route),
        params: paramsFor(route, t.known),
        caller: callerFor(route),
        body: jsonBodies(routeInputs[route]!.body!(t.known)),
      }),
    ),
  run: async (t, stats, c) => {
    stats.routesHit.add(c.route)
    const { kind, sent: _, path: broken, ...body } = c.body
    const req: FuzzRequest = {
      method: methodOf(c.route),
      path: fillPath(patternOf(c.route), c.params),
      caller: c.caller,
      ...body,
    }
    const res = await send(t, stats, req)
    if (kind !== 'json' || (res.status !== 400 && res.status !== 422) || req.path.startsWith('/open311/'))
      return
    const field = String((res.json as AnyJson)?.error?.field ?? '')
    if (broken === null) {
      // The generator's valid body, unchanged: refusing it names a field that was fine.
      stats.violation({
        kind: 'nameless',
        detail: `a valid body was refused for ${field}: ${res.text.slice(0, 300)}`,
        request: describe(req),
      })
    } else if (
      broken !== '' &&
      field !== broken &&
      !broken.startsWith(`${field}.`) &&
      !field.startsWith(`${broken}.`) &&
      // A field the body lacks may be named: removing one value can make another required.
      valueAt(c.body.sent, field) !== undefined
    ) {
      // One value was broken: the answer names it (or the object holding it, or a part of it).
      stats.violation({
        kind: 'nameless',
        detail: `${broken} was broken but ${field || 'nothing'} is named: ${res.text.slice(0, 300)}`,
        request: describe(req),
      })
    }
  },
}

const valueAt = (root: unknown, dotted: string) =>
  dotted
    .split('.')
    .reduce<unknown>(
      (at, k) =>
        at && typeof at === 'object' && Object.hasOwn(at, k) ? (at as Record<string, unknown>)[k] : undefined,
      root,
    )

// --- Ingest: nothing stored from a rejected item, every good item stored --------------------

let refCounter = 0
const placeholder = '__REF__'

/** One item of a batch: valid, broken in one known field, mutated anywhere, or not an object. */
type Slot = { value: unknown; kind: 'valid' | 'invalid' | 'mutated' | 'not an object'; field?: string }
const slot = (feed: FeedName): fc.Arbitrary<Slot> =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: validItem(feed, fc.constant(placeholder)).map((v) => ({
        value: v as unknown,
        kind: 'valid' as const,
      })),
    },
    {
      weight: 2,
      arbitrary: invalidItem(feed, fc.constant(placeholder)).map((v) => ({
        value: v.item as unknown,
        kind: 'invalid' as const,
        field: v.field,
      })),
    },
    {
      weight: 4,
      arbitrary: mutated(validItem(feed, fc.constant(placeholder))).map((m) => ({
        value: m.value,
        kind: 'mutated' as const,
      })),
    },
    { weight: 1, arbitrary: nastyValue.map((v) => ({ value: v, kind: 'not an object' as const })) },
  )

const ingest: FuzzProperty = {
  name: 'ingest batches: rejected items stored nowhere, good items stored',
  weight: 6,
  routes: () => ['POST /api/v1/feeds/:feed'],
  cases: () =>
    fc.constantFrom(...feedNames).chain((feed) =>
      fc.record({
        feed: fc.constant(feed),
        slots: fc.array(slot(feed), { minLength: 1, maxLength: 8 }),
        shape: fc.constantFrom('array', 'array', 'ndjson', 'ndjson', 'single', 'csv', 'text/plain'),
        ndjsonType: fc.constantFrom(
          'application/x-ndjson',
          'application/ndjson',
          'application/x-ndjson; charset=utf-8',
        ),
        junkLine: fc.option(fc.constantFrom('{', 'not json', '', '   ', '\r', '[1]', '"x"', '{"ref":'), {
          nil: undefined,
        }),
        caller: fc.constantFrom<Caller>('feed', 'feed', 'feed', 'admin', 'display'),
      }),
    ),
  run: async (t, stats, c) => {
    stats.routesHit.add('POST /api/v1/feeds/:feed')
    const feed = c.feed as FeedName
    const slots = c.slots as Slot[]
    const items = slots.map((s) => withRef(s.value, `fz-${process.pid}-${++refCounter}`))
    // One value sent alone: an object is a single item, an array a batch, anything else malformed.
    const alone = c.shape === 'single'
    const single = alone && !Array.isArray(items[0])
    const sent: unknown[] = !alone ? items : Array.isArray(items[0]) ? (items[0] as unknown[]) : [items[0]]
    const slotOf = (i: number) => (alone && Array.isArray(items[0]) ? undefined : slots[i])
    let body: string
    let contentType: string
    // Where each item sits in the body, for NDJSON with a junk line in the middle.
    let junkAt = -1
    if (c.shape === 'ndjson') {
      const lines = items.map((i) => JSON.stringify(i) ?? 'null')
      if (c.junkLine !== undefined) {
        junkAt = Math.floor(lines.length / 2)
        lines.splice(junkAt, 0, c.junkLine)
      }
      body = lines.join('\n')
      contentType = c.ndjsonType
    } else if (c.shape === 'csv') {
      body = 'source,ref,updatedAt\nfuzz-source,x,2026-11-28T08:00:00+07:00'
      contentType = 'text/csv'
    } else {
      body = (alone ? JSON.stringify(items[0]) : JSON.stringify(items)) ?? 'null'
      contentType = c.shape === 'text/plain' ? 'text/plain' : 'application/json'
    }
    const req: FuzzRequest = {
      method: 'POST',
      path: `/api/v1/feeds/${feed}`,
      caller: c.caller,
      contentType,
      body,
    }
    const res = await send(t, stats, req)
    const stored = await storedRefs(t, feed, sent)
    const where = describe(req)
    const json = res.json as AnyJson
    if (res.status === 200 && !single) {
      const rejected = new Map<number, { field: string; message: string }>()
      for (const r of json.rejected as Array<{
        index: number
        line?: number
        field: string
        message: string
      }>) {
        // NDJSON entries are by line; a junk line is rejected as itself, not as an item.
        const line = r.line
        let index = r.index
        if (line !== undefined) {
          const lineIndex = line - 1
          if (lineIndex === junkAt) continue
          index = junkAt >= 0 && lineIndex > junkAt ? lineIndex - 1 : lineIndex
        }
        rejected.set(index, r)
        judgeRejection(stats, where, slotOf(index), r.field)
        const item = sent[index]
        if (!r.field && isPlainObject(item)) {
          stats.violation({
            kind: 'nameless',
            detail: `rejected item ${index} names no field: ${JSON.stringify(r)}`,
            request: where,
          })
        }
      }
      sent.forEach((item, i) => {
        const key = identity(item)
        if (rejected.has(i)) {
          if (key?.unique && stored.has(key.ref))
            stats.violation({
              kind: 'stored',
              detail: `rejected item ${i} (${key.ref}) was stored: ${JSON.stringify(rejected.get(i))}`,
              request: where,
            })
        } else if (!key || !stored.has(key.ref)) {
          stats.violation({
            kind: 'lost',
            detail: `item ${i} was not rejected but is not stored (${res.text.slice(0, 300)})`,
            request: where,
          })
        }
      })
      return
    }
    if (single && (res.status === 400 || res.status === 422)) {
      judgeRejection(stats, where, slots[0], String(json?.error?.field ?? ''))
    }
    if (res.status === 200 || res.status === 201) {
      const key = identity(sent[0])
      if (!key || !stored.has(key.ref))
        stats.violation({
          kind: 'lost',
          detail: `accepted but not stored: ${res.text.slice(0, 300)}`,
          request: where,
        })
      return
    }
    // Refused as a whole: nothing of it is stored.
    for (const item of sent) {
      const key = identity(item)
      if (key?.unique && stored.has(key.ref))
        stats.violation({
          kind: 'stored',
          detail: `${key.ref} stored although the request got ${res.status} ${res.text.slice(0, 200)}`,
          request: where,
        })
    }
  },
}

/** A valid item is never rejected; an item broken in one field is rejected for that field. */
function judgeRejection(stats: FuzzStats, request: string, slot: Slot | undefined, field: string): void {
  if (slot?.kind === 'valid') {
    stats.violation({ kind: 'lost', detail: `a valid item was rejected (${field})`, request })
  } else if (slot?.kind === 'invalid' && field !== slot.field) {
    stats.violation({
      kind: 'nameless',
      detail: `rejected for ${field}, not for ${slot.field}, the field that was broken`,
      request,
    })
  }
}

function withRef(value: unknown, ref: string): unknown {
  if (!isPlainObject(value)) return value
  return (value as Record<string, unknown>).ref === placeholder
    ? {
        ...(value as object),
        ref,
        source:
          (value as Record<string, unknown>).source === 'test-source'
            ? fuzzSource
            : (value as Record<string, unknown>).source,
      }
    : value
}

const isPlainObject = (v: unknown) => !!v && typeof v === 'object' && !Array.isArray(v)

/** The (trimmed) ref an item would be stored under, and whether only this run used it. */
function identity(item: unknown): { ref: string; source: string; unique: boolean } | null {
  if (!isPlainObject(item)) return null
  const { ref, source } = item as Record<string, unknown>
  if (typeof ref !== 'string' || typeof source !== 'string') return null
  if (!ref.isWellFormed() || ref.includes('\u0000') || !source.isWellFormed() || source.includes('\u0000'))
    return null
  return { ref: ref.trim(), source: source.trim(), unique: ref.startsWith('fz-') }
}

async function storedRefs(t: FuzzTarget, feed: FeedName, items: unknown[]): Promise<Set<string>> {
  const keys = items.map(identity).filter((k) => k !== null)
  if (!keys.length) return new Set()
  const rows = await t.sql<{ source: string; ref: string }[]>`
    select source, ref from ${t.sql(feedTables[feed])}
    where (source, ref) in ${t.sql(keys.map((k) => t.sql([k.source, k.ref])))}`
  return new Set(rows.map((r) => r.ref))
}

// --- Open311: GeoReport forms, JSON and queries ---------------------------------------------

const open311Form = (k: Known) =>
  fc.record(
    {
      api_key: text(fc.constantFrom(fuzzSecrets.feed, fuzzSecrets.admin, fuzzSecrets.display)),
      service_code: text(pick(k.categories)),
      lat: text(fc.constantFrom('10.93', '10.932', '91', '-91', '1e3')),
      long: text(fc.constantFrom('108.1', '108.10', '181')),
      description: text(fc.constantFrom('Ổ gà lớn trước số 12, gọi 0912 345 678', 'Rác')),
      address_string: text(fc.constantFrom('12 Trần Hưng Đạo', '')),
      email: text(fc.constantFrom('an@example.vn', 'x')),
      phone: text(fc.constantFrom('0909000000', '+84 909 000 000')),
      first_name: text(fc.constant('An')),
      last_name: text(fc.constant('Nguyễn')),
      media_url: text(fc.constantFrom('https://example.vn/a.jpg', 'javascript:alert(1)')),
      service_request_id: text(pick(k.tickets.map((t) => t.replace('/', ':')))),
      status: text(fc.constantFrom('OPEN', 'CLOSED', 'FIXED', 'IN_PROGRESS', 'x')),
      updated_datetime: text(w3cDate),
      update_id: text(fc.constant('u-1')),
    },
    { requiredKeys: ['api_key'] },
  )

const open311Writes: FuzzProperty = {
  name: 'Open311 writes: form, JSON and query bodies',
  weight: 4,
  routes: () => ['POST /open311/v2/:file'],
  cases: (t) =>
    fc.record({
      file: fc.constantFrom(
        'requests.json',
        'requests.xml',
        'servicerequestupdates.json',
        'servicerequestupdates.xml',
      ),
      form: open311Form(t.known),
      as: fc.constantFrom('form', 'form', 'json', 'query', 'multipart'),
    }),
  run: async (t, stats, c) => {
    stats.routesHit.add('POST /open311/v2/:file')
    const form = c.form as Record<string, string>
    const entries = Object.entries(form)
    let req: FuzzRequest
    if (c.as === 'query')
      req = { method: 'POST', path: `/open311/v2/${c.file}`, query: entries, caller: 'none' }
    else if (c.as === 'json')
      req = {
        method: 'POST',
        path: `/open311/v2/${c.file}`,
        caller: 'none',
        contentType: 'application/json',
        body: JSON.stringify(form),
      }
    else if (c.as === 'multipart') {
      const boundary = 'fuzz-boundary'
      const parts = entries.map(
        ([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
      )
      const body = `${parts.join('')}--${boundary}--\r\n`
      req = {
        method: 'POST',
        path: `/open311/v2/${c.file}`,
        caller: 'none',
        contentType: `multipart/form-data; boundary=${boundary}`,
        body,
      }
    } else
      req = {
        method: 'POST',
        path: `/open311/v2/${c.file}`,
        caller: 'none',
        contentType: 'application/x-www-form-urlencoded',
        body: encodeQuery(entries),
      }
    const res = await send(t, stats, req)
    // A required parameter left out is named too.
    blames(stats, req, res, [...Object.keys(form), ...open311Params])
  },
}

// --- CSV import (`npm run import`): the same validation, so the same promises ----------------

/** `{location: {lat: 1}}` → `{'location.lat': '1'}`, as a spreadsheet export names columns. */
function flatten(
  value: unknown,
  prefix = '',
  // No prototype: a column may be called __proto__ or constructor.
  out: Record<string, string> = Object.create(null),
): Record<string, string> {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out)
  } else if (prefix) {
    // As the file will hold it: UTF-8 has no lone surrogates (they are written as U+FFFD).
    out[prefix] = (typeof value === 'string' ? value : (JSON.stringify(value) ?? '')).toWellFormed()
  }
  return out
}

const csvCell = (v: string) => `"${v.replace(/"/g, '""')}"`

const csvImport: FuzzProperty = {
  name: 'CSV import: rejected rows stored nowhere, good rows stored',
  weight: 2,
  routes: () => [],
  cases: () =>
    fc.constantFrom(...feedNames).chain((feed) =>
      fc.record({
        feed: fc.constant(feed),
        slots: fc.array(slot(feed), { minLength: 1, maxLength: 8 }),
        bom: fc.boolean(),
        crlf: fc.boolean(),
        junkLast: fc.option(fc.constantFrom('"unclosed', 'a,"b"c', '\u0000', ',,,,,,,,,,,,,,,'), {
          nil: undefined,
        }),
      }),
    ),
  run: async (t, stats, c) => {
    const feed = c.feed as FeedName
    const slots = (c.slots as Slot[]).filter((s) => isPlainObject(s.value))
    if (!slots.length) return
    const rows = slots.map((s) => flatten(withRef(s.value, `fz-${process.pid}-${++refCounter}`)))
    const header = [...new Set(rows.flatMap((r) => Object.keys(r)))]
    const nl = c.crlf ? '\r\n' : '\n'
    const lines = [
      header.map(csvCell).join(','),
      ...rows.map((r) => header.map((h) => csvCell(r[h] ?? '')).join(',')),
    ]
    if (c.junkLast !== undefined) lines.push(c.junkLast)
    const dir = await mkdtemp(path.join(tmpdir(), 'citydeck-fuzz-csv-'))
    const file = path.join(dir, `${feed}.csv`)
    await writeFile(file, `${c.bom ? '\ufeff' : ''}${lines.join(nl)}${nl}`)
    stats.requests++
    const where = `importCsv ${feed} ${JSON.stringify(lines.join(nl).slice(0, 800))}`
    try {
      const summary = await importCsv(t.deps, feed, file)
      const rejectedRefs = new Set<string>()
      if (summary.rejectsFile) {
        const rejects = parseCsv(await readFile(summary.rejectsFile), { columns: true, bom: true }) as Array<
          Record<string, string>
        >
        for (const r of rejects) {
          // The file lists rows stored with a warning too (`outcome` stored).
          if (r.ref && r.outcome === 'rejected') rejectedRefs.add(r.ref)
          if (!r.field && r.line && r.reason && !r.reason.startsWith('not valid CSV')) {
            stats.violation({
              kind: 'nameless',
              detail: `row ${r.line} rejected naming no field: ${r.reason}`,
              request: where,
            })
          }
        }
      }
      const stored = await storedRefs(
        t,
        feed,
        rows.map((r) => ({ source: r.source, ref: r.ref })),
      )
      rows.forEach((r, i) => {
        if (!r.ref?.startsWith('fz-')) return
        if (rejectedRefs.has(r.ref)) {
          if (stored.has(r.ref))
            stats.violation({ kind: 'stored', detail: `rejected row ${r.ref} was stored`, request: where })
          else if (slots[i]!.kind === 'valid')
            stats.violation({ kind: 'lost', detail: `valid row ${r.ref} was rejected`, request: where })
        } else if (!stored.has(r.ref)) {
          stats.violation({
            kind: 'lost',
            detail: `row ${r.ref} was neither rejected nor stored`,
            request: where,
          })
        }
      })
    } catch (error) {
      stats.violation({
        kind: '5xx',
        detail: `importCsv threw: ${(error as Error).stack?.slice(0, 600)}`,
        request: where,
      })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  },
}

export const properties: FuzzProperty[] = [anyRoute, queries, writes, ingest, open311Writes, csvImport]

// ---------------------------------------------------------------------------------------------
// Running

export const defaultSeed = 20261503
/** Runs per property (times its weight) in `npm test`; the bench runs 20× as many. */
export const testRuns = 10

/** FUZZ_SEED (else a fixed seed, so CI runs are reproducible) and FUZZ_RUNS (else `runs`). */
export function fuzzSettings(runs: number): { seed: number; runs: number } {
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : defaultSeed
  const n = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : runs
  if (!Number.isSafeInteger(seed))
    throw new Error(`FUZZ_SEED must be an integer, not ${process.env.FUZZ_SEED}`)
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`FUZZ_RUNS must be a positive integer, not ${process.env.FUZZ_RUNS}`)
  return { seed, runs: n }
}

/** Runs one property `runs × weight` times from `seed` (a failure reports the seed and shrunk case). */
export async function runProperty(
  property: FuzzProperty,
  t: FuzzTarget,
  stats: FuzzStats,
  settings: { seed: number; runs: number },
): Promise<void> {
  await fc.assert(
    fc.asyncProperty(property.cases(t), async (c) => {
      await property.run(t, stats, c)
    }),
    { seed: settings.seed, numRuns: settings.runs * property.weight, endOnFailure: stats.mode === 'count' },
  )
}

export { nastyTexts }
