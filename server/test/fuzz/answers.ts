import { z } from 'zod'
import { type Caller, type FuzzTarget, fuzzSecrets } from './target'
import { percentEncode } from './values'

// Sending a fuzz request and the checks every answer passes: no 5xx, no cut connection, an
// error in its documented shape, and a 400/422 that names the field or parameter.

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

export function describe(req: FuzzRequest): string {
  const query = req.query?.length ? `?${encodeQuery(req.query)}` : ''
  const body =
    req.body === undefined
      ? ''
      : ` ${req.contentType ?? '(no type)'} ${JSON.stringify(typeof req.body === 'string' ? req.body.slice(0, 600) : `<${req.body.byteLength} bytes>`)}`
  return `${req.method} ${req.path}${query} as ${req.caller}${body}`.slice(0, 1500)
}

export const encodeQuery = (query: Array<[string, string]>) =>
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
export const open311Params = [
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

/** The `error` of an /api/ answer, its parts still to be checked; undefined when there is none. */
const apiErrorSchema = z.object({
  error: z.object({
    code: z.unknown().optional(),
    message: z.unknown().optional(),
    field: z.unknown().optional(),
  }),
})
export const apiError = (json: unknown) => apiErrorSchema.safeParse(json).data?.error

/** GeoReport's JSON error list: at least one `{code, description}`. */
const open311ErrorsSchema = z.tuple([z.object({ description: z.string() })], z.unknown())

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
  const error = apiError(res.json)
  if (typeof error?.code !== 'string' || typeof error?.message !== 'string') {
    stats.violation({ kind: 'shape', detail: answer, request })
    return
  }
  if ((res.status === 400 || res.status === 422) && !(typeof error.field === 'string' && error.field)) {
    stats.violation({ kind: 'nameless', detail: answer, request })
  }
}

function open311Description(res: FuzzResponse): string | null {
  const errors = open311ErrorsSchema.safeParse(res.json)
  if (errors.success) return errors.data[0].description
  const xml = /<error>\s*<code>\d+<\/code>\s*<description>([\s\S]*?)<\/description>/.exec(res.text)
  return xml ? xml[1]! : null
}

/** A 400/422 names one of `names` (its field's first segment): the parameter that was wrong. */
export function blames(stats: FuzzStats, req: FuzzRequest, res: FuzzResponse, names: string[]): void {
  if (res.status !== 400 && res.status !== 422) return
  const field: string = req.path.startsWith('/open311/')
    ? (open311Description(res) ?? '')
    : String(apiError(res.json)?.field ?? '')
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
