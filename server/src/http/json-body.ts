import type { MiddlewareHandler } from 'hono'
import type { z } from 'zod'
import { apiError } from './errors'

/**
 * JSON endpoints take only `application/json` (docs/design.md §5): a page on another site can send
 * `text/plain` without a CORS preflight, so such a body is refused with 415, never parsed.
 */
export function requireJson(): MiddlewareHandler {
  return async (c, next) => {
    const refused = refuseNonJsonType(c)
    if (refused) return refused
    await next()
  }
}

/** The 415 of `requireJson` when the request's Content-Type is not JSON; null when it is. */
export function refuseNonJsonType(c: Parameters<typeof apiError>[0]): Response | null {
  const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase()
  if (type === 'application/json') return null
  return apiError(
    c,
    415,
    'unsupported_media_type',
    `send the body as JSON with Content-Type: application/json (got ${type ?? 'none'})`,
    'content-type',
  )
}

/**
 * The body read as JSON, or the `400 malformed` that every JSON route answers to a body that is
 * not JSON (empty, cut short, not JSON at all), before any field is looked at.
 */
export async function parsedJson(
  c: Parameters<typeof apiError>[0],
): Promise<{ ok: true; raw: unknown } | { ok: false; response: Response }> {
  const raw = await c.req.json().catch(() => undefined)
  if (raw !== undefined) return { ok: true, raw }
  return { ok: false, response: apiError(c, 400, 'malformed', 'the body must be a JSON object', 'body') }
}

/** A JSON body parsed with `schema`: the data, or the 400 (not JSON) / 422 (a bad field) that names what is wrong. */
export async function jsonBody<T extends z.ZodType>(
  c: Parameters<typeof apiError>[0],
  schema: T,
): Promise<{ ok: true; data: z.infer<T> } | { ok: false; response: Response }> {
  const json = await parsedJson(c)
  if (!json.ok) return json
  const parsed = schema.safeParse(json.raw)
  if (parsed.success) return { ok: true, data: parsed.data }
  const issue = parsed.error.issues[0]!
  const field = issue.path.join('.')
  return {
    ok: false,
    response: apiError(c, 422, 'invalid', `${field || 'body'}: ${issue.message}`, field || 'body'),
  }
}
