import type { MiddlewareHandler } from 'hono'
import { apiError } from './errors'

/**
 * JSON endpoints take only `application/json` (docs/design.md §5): a page on another site can send
 * `text/plain` without a CORS preflight, so such a body is refused with 415, never parsed.
 */
export function requireJson(): MiddlewareHandler {
  return async (c, next) => {
    const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase()
    if (type !== 'application/json') {
      return apiError(
        c,
        415,
        'unsupported_media_type',
        `send the body as JSON with Content-Type: application/json (got ${type ?? 'none'})`,
        'content-type',
      )
    }
    await next()
  }
}
