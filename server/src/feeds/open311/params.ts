import type { CityProfile } from '@citydeck/shared'
import { fromLocal } from '@citydeck/shared/time'
import type { Context } from 'hono'

/** GeoReport parameters: the query string, plus the form body of a POST. */
export async function open311Params(c: Context): Promise<Record<string, string>> {
  const params: Record<string, string> = { ...c.req.query() }
  if (c.req.method === 'POST') {
    // Only application/json is read as JSON (docs/design.md §5); forms are GeoReport's own encoding.
    const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase()
    if (type === 'application/json') {
      const body: unknown = await c.req.json().catch(() => null)
      // Only an object's scalar members are parameters; `null`, `5` or `"x"` carry none.
      if (body && typeof body === 'object') {
        for (const [k, v] of Object.entries(body))
          if (v !== null && typeof v !== 'object') params[k] = String(v)
      }
    } else {
      const body = await c.req.parseBody().catch(() => ({}))
      for (const [k, v] of Object.entries(body)) if (typeof v === 'string') params[k] = v
    }
  }
  return params
}

// W3C date-time (https://www.w3.org/TR/NOTE-datetime): a date, or a date-time with or without its zone.
const w3cPattern = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/

/**
 * A W3C date parameter: undefined when absent, an Error naming it when malformed. A date, or a
 * date-time without a zone, is the city's wall clock (`CITY_TZ`): FixMyStreet's clients and
 * hand-written queries often send `2026-11-28T08:00:00` meaning local time.
 */
export function w3cParam(
  params: Record<string, string>,
  name: string,
  timeZone: string,
): Date | undefined | Error {
  const value = params[name]
  if (value === undefined || value === '') return undefined
  const bad = new Error(`${name} must be a W3C date-time such as 2026-11-28T08:00:00+07:00`)
  const m = w3cPattern.exec(value)
  if (!m) return bad
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((v) => Number(v ?? 0))
  const fraction = Number(m[7] ?? 0)
  // Out-of-range parts (month 13, 25:00) are refused, not rolled over into the next unit.
  const fields = new Date(Date.UTC(year!, month! - 1, day!, hour, minute, second))
  if (
    Number.isNaN(fields.getTime()) ||
    fields.getUTCMonth() !== month! - 1 ||
    fields.getUTCDate() !== day ||
    fields.getUTCHours() !== hour ||
    fields.getUTCMinutes() !== minute ||
    fields.getUTCSeconds() !== second
  )
    return bad
  const date = m[8]
    ? new Date(value)
    : new Date(
        fromLocal(timeZone, year!, month!, day!, hour).getTime() +
          minute * 60_000 +
          second * 1000 +
          fraction * 1000,
      )
  return Number.isNaN(date.getTime()) ? bad : date
}

export const list = (value: string | undefined) =>
  value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean)

/**
 * GeoReport's `jurisdiction_id`, optional for a server of one city: absent or the profile's id
 * (`phan-thiet`) is this city; anything else is refused, naming it, rather than answered as if
 * it were this city's.
 */
export function jurisdictionProblem(params: Record<string, string>, profile: CityProfile): string | null {
  const id = params.jurisdiction_id
  if (id === undefined || id === '' || id === profile.id) return null
  return `jurisdiction_id ${id} is not served here: use ${profile.id} or leave it out`
}

/** `page` (from 1) and `page_size` (1 to `max`, default `max`), or an Error naming the bad one. */
export function pageParams(
  params: Record<string, string>,
  max: number,
): { page: number; size: number } | Error {
  const whole = (name: string, fallback: number, top: number) => {
    const value = params[name]
    if (value === undefined || value === '') return fallback
    const n = Number(value)
    return /^\d+$/.test(value) && n >= 1 && n <= top
      ? n
      : new Error(`${name} must be a whole number from 1 to ${top}`)
  }
  const page = whole('page', 1, 1_000_000)
  const size = whole('page_size', max, max)
  if (page instanceof Error) return page
  if (size instanceof Error) return size
  return { page, size }
}

/**
 * GeoReport's `attribute[code]=value` parameters (a multi-valued one as `attribute[code][]`), kept
 * on the ticket as sent (`attributes`), values of one code joined by commas.
 */
export function attributesOf(params: Record<string, string>): Record<string, string> {
  const attributes: Record<string, string> = {}
  for (const [key, value] of Object.entries(params)) {
    const m = /^attribute\[([^\]]+)\](\[\])?$/.exec(key)
    if (m) attributes[m[1]!] = m[1]! in attributes ? `${attributes[m[1]!]},${value}` : value
  }
  return attributes
}
