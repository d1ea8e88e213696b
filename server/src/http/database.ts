import type { Context, MiddlewareHandler } from 'hono'
import type { DatabaseWatch } from '../db/availability'
import { replyError } from '../feeds/open311/respond'
import { apiError } from './errors'

/** Seconds a client is asked to wait before trying again while the database is away. */
export const retryAfterSeconds = 5

/** Paths that work without the database: health, the city profile, the API document, Open311's catalog. */
const withoutDatabase = [
  /^\/api\/v1\/health\b/,
  /^\/api\/v1\/city\b/,
  /^\/api\/v1\/openapi\.json$/,
  /^\/api\/docs\b/,
  /^\/open311\/v2\/(services|discovery)\b/,
]

/** docs/design.md §11: `503 { error: { code: "database_unavailable" } }` with Retry-After, in the door's own format. */
export function databaseUnavailable(c: Context): Response {
  c.header('Retry-After', String(retryAfterSeconds))
  const message = 'Cơ sở dữ liệu tạm thời không truy cập được / the database is unavailable: retry shortly'
  if (c.req.path.startsWith('/open311/')) {
    return replyError(c, c.req.path.endsWith('.xml') ? 'xml' : 'json', 503, message)
  }
  return apiError(c, 503, 'database_unavailable', message)
}

/**
 * While the database is known to be away, requests that need it are answered 503 at once
 * rather than waiting on connections that cannot open. (A request that meets the outage first
 * fails with a connection error, which app.ts turns into the same 503 and reports.)
 */
export function requireDatabase(watch: DatabaseWatch): MiddlewareHandler {
  return async (c, next) => {
    if (!watch.isUp && !withoutDatabase.some((path) => path.test(c.req.path))) {
      return databaseUnavailable(c)
    }
    await next()
  }
}
