import type { Context, MiddlewareHandler } from 'hono'
import { MemoryStore, rateLimiter } from 'hono-rate-limiter'
import type { AccessEnv } from '../access/middleware'
import type { Config } from '../config'
import type { ApiErrorBody } from '../http/errors'

// One store per running app, shared by every door (HTTP feeds, Open311 POST), so a key has one
// budget whichever it uses. Found by the app's config (tests run several servers in a process).
const stores = new WeakMap<Config, MemoryStore<AccessEnv>>()
function storeFor(config: Config): MemoryStore<AccessEnv> {
  let store = stores.get(config)
  if (!store) {
    store = new MemoryStore<AccessEnv>()
    stores.set(config, store)
  }
  return store
}

/** The bucket of a token: its id, the same at every door. */
export const tokenBucket = (tokenId: number) => `token:${tokenId}`

/**
 * Ingest rate limit per token (`INGEST_RATE_LIMIT` requests a minute, every door together):
 * 429 with Retry-After. Counted in memory per process; several processes each count their own.
 */
export function ingestRateLimit(
  deps: { config: Config },
  options: {
    keyOf?: (c: Context<AccessEnv>) => string | Promise<string>
    respond?: (c: Context<AccessEnv>, message: string) => Response | Promise<Response>
  } = {},
): MiddlewareHandler<AccessEnv> {
  const perMinute = deps.config.INGEST_RATE_LIMIT
  const message = `more than ${perMinute} ingest requests a minute with this key: wait for Retry-After seconds`
  return rateLimiter<AccessEnv>({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-6',
    store: storeFor(deps.config),
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
  return p.tokenId !== null ? tokenBucket(p.tokenId) : `${p.via}:${p.role}:${p.label ?? ''}`
}
