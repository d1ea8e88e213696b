import { type FeedName, feedName } from '@citydeck/shared'
import { type Context, Hono } from 'hono'
import { type AccessEnv, requireRole } from '../access/middleware'
import type { AppDeps } from '../context'
import { apiError } from '../http/errors'
import { nodeRequest } from '../http/node-request'
import { ingestBody, requestLimits } from './batch'
import { type BodyFormat, BodyMalformed, BodyStalled, BodyTooLarge } from './body'
import { ingestRateLimit } from './rate-limit'

/**
 * `POST /api/v1/feeds/:feed` (docs/design.md §2). A feed key ingests only its own source; an admin may
 * ingest any source (backfills, corrections); display and leader keys may not ingest.
 */
export function feedRoutes(deps: AppDeps) {
  return new Hono<AccessEnv>().post(
    '/:feed',
    requireRole(deps, 'feed:*', 'admin'),
    ingestRateLimit(deps),
    async (c) => {
      const feed = feedName.safeParse(c.req.param('feed'))
      if (!feed.success) {
        return apiError(c, 404, 'not_found', 'feeds are tickets, dossiers, surveys and procedures')
      }
      const format = bodyFormat(c.req.header('content-type'))
      if (!format) {
        return apiError(
          c,
          415,
          'unsupported_media_type',
          'send Content-Type: application/json (an object or an array) or application/x-ndjson',
        )
      }
      const length = Number(c.req.header('content-length') ?? 0)
      if (length > requestLimits.maxBytes) {
        return apiError(c, 413, 'too_large', `the body is larger than ${requestLimits.maxBytes} bytes`)
      }
      const role = c.get('principal').role
      const source = role.startsWith('feed:') ? role.slice('feed:'.length) : undefined
      try {
        const outcome = await ingestBody(deps, feed.data as FeedName, bodyOf(c), format, {
          source,
          idleMs: deps.config.INGEST_BODY_IDLE_SECONDS * 1000,
        })
        if (outcome.kind === 'forbidden') {
          const where = outcome.line ? `line ${outcome.line}` : `item ${outcome.index}`
          return apiError(c, 403, 'forbidden', `${where}: ${outcome.message}; nothing was stored`, 'source')
        }
        const { single, response, rejectedKind } = outcome
        if (single && response.rejected.length) {
          const [bad] = response.rejected
          const status = rejectedKind === 'malformed' ? 400 : 422
          const code = rejectedKind === 'malformed' ? 'malformed' : 'invalid'
          return apiError(c, status, code, bad!.message, bad!.field || undefined)
        }
        return c.json(response, single && response.created ? 201 : 200)
      } catch (error) {
        if (error instanceof BodyTooLarge) return apiError(c, 413, 'too_large', error.message)
        if (error instanceof BodyMalformed) return apiError(c, 400, 'malformed', error.message, 'body')
        if (error instanceof BodyStalled) {
          // The rest of the body may still come: close the connection rather than read it.
          c.header('connection', 'close')
          return apiError(c, 408, 'timeout', `${error.message}; nothing was stored, send the request again`)
        }
        throw error
      }
    },
  )
}

/**
 * The request body as bytes. Served by @hono/node-server, that is the Node request itself:
 * `c.req.raw.body` would first build a WHATWG Request and stream over it, which costs more per
 * request than storing a single item.
 */
function bodyOf(c: Context): AsyncIterable<Uint8Array> | null {
  return nodeRequest(c) ?? (c.req.raw.body as AsyncIterable<Uint8Array> | null)
}

function bodyFormat(contentType: string | undefined): BodyFormat | null {
  const type = contentType?.split(';')[0]?.trim().toLowerCase()
  if (type === 'application/json') return 'json'
  if (type === 'application/x-ndjson' || type === 'application/ndjson') return 'ndjson'
  return null
}
