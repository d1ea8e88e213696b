import { unitOf } from '@citydeck/shared'
import { canSeePersonalData, type Principal, resolvePrincipal } from '../access/principal'
import { sessionCookie } from '../access/sessions'
import type { Config } from '../config'
import type { Sql } from '../db/connection'
import { cameOverHttps } from '../http/client-address'
import { refusedOrigin } from '../http/origin'
import type { LiveSocket } from './types'

/** Reads one cookie from a Cookie header. */
function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of header?.split(';') ?? []) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim())
  }
  return null
}

type OriginConfig = Pick<Config, 'ALLOWED_ORIGINS' | 'TRUSTED_PROXIES'>

/** The Origin refused for a cookie-authenticated handshake (docs/design.md §5), or null. */
function foreignHandshake(socket: LiveSocket, config: OriginConfig): string | null {
  const h = socket.handshake.headers
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)
  const https = cameOverHttps(
    config.TRUSTED_PROXIES,
    { peer: socket.handshake.address, forwardedProto: one(h['x-forwarded-proto']) },
    socket.handshake.secure,
  )
  return refusedOrigin(
    { origin: h.origin, referer: h.referer, fetchSite: one(h['sec-fetch-site']), host: h.host, https },
    config.ALLOWED_ORIGINS,
  )
}

/**
 * Handshake check (docs/design.md §5): `auth.token` or the session cookie must name a role that reads
 * the live picture. Feed tokens only ingest, so they are refused like unknown ones, with a
 * message the client sees in `connect_error`. A cookie counts only from an allowed Origin, so
 * another site's page cannot open the stream with a visitor's session.
 */
export function liveAuth(sql: Sql, config: OriginConfig) {
  return async (socket: LiveSocket, next: (error?: Error) => void) => {
    try {
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token
      const bearer = typeof token === 'string' && token ? token : null
      const cookie = cookieValue(socket.handshake.headers.cookie, sessionCookie)
      if (!bearer && cookie) {
        const refused = foreignHandshake(socket, config)
        if (refused !== null) {
          return next(
            new Error(`forbidden: Origin ${refused} may not use this session; list it in ALLOWED_ORIGINS`),
          )
        }
      }
      const principal = await resolvePrincipal(sql, { bearer, cookie })
      if (!principal) return next(new Error('unauthorized: a valid auth.token or session cookie is required'))
      if (principal.role.startsWith('feed:')) {
        return next(new Error('forbidden: feed tokens may only ingest, not read the live stream'))
      }
      socket.data.principal = principal satisfies Principal
      // A unit watches only its own items (socket.ts), whose reporters it needs (docs/design.md §5).
      socket.data.personal = canSeePersonalData(principal) || unitOf(principal.role) !== null
      next()
    } catch {
      next(new Error('unavailable: could not check the credentials, retry'))
    }
  }
}
