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

// W3C date-time (https://www.w3.org/TR/NOTE-datetime): a date, or a date-time with its zone.
const w3cPattern = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/

/** A W3C date parameter: undefined when absent, an Error naming it when malformed. */
export function w3cParam(params: Record<string, string>, name: string): Date | undefined | Error {
  const value = params[name]
  if (value === undefined || value === '') return undefined
  const date = new Date(value)
  if (!w3cPattern.test(value) || Number.isNaN(date.getTime())) {
    return new Error(`${name} must be a W3C date-time such as 2026-11-28T08:00:00+07:00`)
  }
  return date
}

export const list = (value: string | undefined) =>
  value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean)
