import type { MiddlewareHandler } from 'hono'
import { replyError } from '../feeds/open311/respond'
import { apiError } from './errors'

/**
 * A path with a NUL character (`%00`) names nothing: no id, source, ref or file can hold one
 * (PostgreSQL text cannot). Answered 404 here, in the door's own format, so no route sends it to
 * the database (where it was a 500). Lone surrogates cannot arrive this way: their bytes are not
 * UTF-8, so the router keeps them percent-encoded.
 */
export function refuseNulInPath(): MiddlewareHandler {
  return async (c, next) => {
    const url = c.req.url
    const rawPath = url.slice(url.indexOf('/', url.indexOf('//') + 2)).split('?')[0]!
    if (!/%00/i.test(rawPath) && !c.req.path.includes('\u0000')) return next()
    const message = 'no resource has a NUL character (%00) in its path'
    if (c.req.path.startsWith('/open311/')) {
      return replyError(c, /\.xml$/i.test(c.req.path) ? 'xml' : 'json', 404, message)
    }
    return apiError(c, 404, 'not_found', message, 'path')
  }
}
