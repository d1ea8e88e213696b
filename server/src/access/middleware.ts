import type { Role } from '@citydeck/shared'
import type { MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import type { AppDeps } from '../context'
import { apiError } from '../http/errors'
import { bearerFrom, type Principal, resolvePrincipal } from './principal'
import { sessionCookie } from './sessions'

/** Hono variables set by the access middleware. */
export type AccessEnv = { Variables: { principal: Principal } }

/**
 * Requires a caller with one of `roles` (a bearer token or a session cookie): 401 without
 * valid credentials, 403 with a role that may not. `feed:*` matches any feed role.
 */
export function requireRole(
  deps: Pick<AppDeps, 'sql'>,
  ...roles: Array<Role | 'feed:*'>
): MiddlewareHandler<AccessEnv> {
  return async (c, next) => {
    const principal = await resolvePrincipal(deps.sql, {
      bearer: bearerFrom(c.req.header('authorization')),
      cookie: getCookie(c, sessionCookie),
    })
    if (!principal) {
      c.header('WWW-Authenticate', 'Bearer')
      return apiError(
        c,
        401,
        'unauthorized',
        'missing, unknown or revoked token: send Authorization: Bearer <token>',
      )
    }
    const allowed = roles.some(
      (r) => r === principal.role || (r === 'feed:*' && principal.role.startsWith('feed:')),
    )
    if (!allowed) {
      return apiError(
        c,
        403,
        'forbidden',
        `role ${principal.role} may not do this (needs ${roles.join(' or ')})`,
      )
    }
    c.set('principal', principal)
    await next()
  }
}
