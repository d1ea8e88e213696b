import type { Context, MiddlewareHandler } from 'hono'
import { rateLimiter } from 'hono-rate-limiter'
import type { AccessEnv } from '../access/middleware'
import type { ApiErrorBody } from '../http/errors'

/**
 * Ingest rate limit per token (`INGEST_RATE_LIMIT` requests a minute): 429 with Retry-After.
 * Counted in memory per process; several processes behind a proxy each count their own.
 */
export function ingestRateLimit(
  perMinute: number,
  options: {
    keyOf?: (c: Context<AccessEnv>) => string | Promise<string>
    respond?: (c: Context<AccessEnv>, message: string) => Response | Promise<Response>
  } = {},
): MiddlewareHandler<AccessEnv> {
  const message = `more than ${perMinute} ingest requests a minute with this key: wait for Retry-After seconds`
  return rateLimiter<AccessEnv>({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-6',
    keyGenerator: options.keyOf ?? principalKey,
    handler: (c) => {
      if (options.respond) return options.respond(c, message)
      const body: ApiErrorBody = { error: { code: 'rate_limited', message } }
      return c.json(body, 429)
    },
  }) as MiddlewareHandler<AccessEnv>
}

function principalKey(c: Context<AccessEnv>): string {
  const p = c.get('principal')
  return p.tokenId !== null ? `token:${p.tokenId}` : `${p.via}:${p.role}:${p.label ?? ''}`
}
