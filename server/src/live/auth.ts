import { canSeePersonalData, type Principal, resolvePrincipal } from '../access/principal'
import { sessionCookie } from '../access/sessions'
import type { Sql } from '../db/connection'
import type { LiveSocket } from './types'

/** Reads one cookie from a Cookie header. */
function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of header?.split(';') ?? []) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim())
  }
  return null
}

/**
 * Handshake check (DESIGN §5): `auth.token` or the session cookie must name a role that reads
 * the live picture. Feed tokens only ingest, so they are refused like unknown ones, with a
 * message the client sees in `connect_error`.
 */
export function liveAuth(sql: Sql) {
  return async (socket: LiveSocket, next: (error?: Error) => void) => {
    try {
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token
      const principal = await resolvePrincipal(sql, {
        bearer: typeof token === 'string' && token ? token : null,
        cookie: cookieValue(socket.handshake.headers.cookie, sessionCookie),
      })
      if (!principal) return next(new Error('unauthorized: a valid auth.token or session cookie is required'))
      if (principal.role.startsWith('feed:')) {
        return next(new Error('forbidden: feed tokens may only ingest, not read the live stream'))
      }
      socket.data.principal = principal satisfies Principal
      socket.data.personal = canSeePersonalData(principal)
      next()
    } catch {
      next(new Error('unavailable: could not check the credentials, retry'))
    }
  }
}
