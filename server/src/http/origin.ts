import type { MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import { sessionCookie } from '../access/sessions'
import type { Config } from '../config'
import { requestIsHttps } from './client-address'
import { apiError } from './errors'

/** What a request says about where it comes from (HTTP request or socket.io handshake). */
export type OriginFacts = {
  origin?: string
  referer?: string
  /** `Sec-Fetch-Site`: same-origin, same-site, cross-site or none (typed by the user). */
  fetchSite?: string
  /** The Host header: this server as the browser addressed it. */
  host?: string
  https: boolean
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin
  } catch {
    return null
  }
}

/**
 * The origin that is refused, or null when the request may use the session cookie (docs/design.md §5):
 * this server's own origin or one of `ALLOWED_ORIGINS`. Browsers send Origin on every cross-site
 * unsafe request and on every WebSocket; a request with neither Origin nor Referer is not a page
 * acting for its user (curl, a script), so it passes unless `Sec-Fetch-Site` says cross-site.
 */
export function refusedOrigin(facts: OriginFacts, allowed: readonly string[]): string | null {
  const claimed = facts.origin ?? (facts.referer ? (originOf(facts.referer) ?? facts.referer) : undefined)
  if (claimed === undefined) {
    const site = facts.fetchSite?.toLowerCase()
    return site && site !== 'same-origin' && site !== 'none' ? `(Sec-Fetch-Site: ${site})` : null
  }
  const origin = originOf(claimed)
  if (!origin || origin === 'null') return claimed
  const own = facts.host ? originOf(`${facts.https ? 'https' : 'http'}://${facts.host}`) : null
  return origin === own || allowed.includes(origin) ? null : claimed
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * CSRF guard: a state-changing request that would be authenticated by the session cookie (it
 * carries the cookie and no bearer token) must come from an allowed origin; else 403 naming it.
 */
export function cookieOriginGuard(
  config: Pick<Config, 'ALLOWED_ORIGINS' | 'TRUSTED_PROXIES'>,
): MiddlewareHandler {
  return async (c, next) => {
    if (safeMethods.has(c.req.method) || /^Bearer\s/i.test(c.req.header('authorization') ?? '')) return next()
    if (!getCookie(c, sessionCookie)) return next()
    const refused = refusedOrigin(
      {
        origin: c.req.header('origin'),
        referer: c.req.header('referer'),
        fetchSite: c.req.header('sec-fetch-site'),
        host: c.req.header('host'),
        https: requestIsHttps(c, config),
      },
      config.ALLOWED_ORIGINS,
    )
    if (refused === null) return next()
    return apiError(
      c,
      403,
      'foreign_origin',
      `Origin ${refused} may not use this session: send the request from citydeck's own pages, list the origin in ALLOWED_ORIGINS, or use a bearer token`,
      'origin',
    )
  }
}
