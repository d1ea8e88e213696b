import type { Role } from '@citydeck/shared'
import type { MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import type { AppDeps } from '../context'
import { requestAddress } from '../http/client-address'
import { apiError } from '../http/errors'
import { bearerThrottleFor } from './bearer-throttle'
import { bearerFrom, type Principal, resolvePrincipal } from './principal'
import { sessionCookie } from './sessions'

/** Hono variables set by the access middleware. */
export type AccessEnv = { Variables: { principal: Principal } }

/** Who a route is for: a role, or `feed:*` (any feed) / `unit:*` (any unit). */
export type RoleGrant = Role | 'feed:*' | 'unit:*'

/** Whether `role` is one of `grants`: the rule `requireRole` applies, and a view composed of several routes applies per part. */
export function isGranted(role: Role, grants: readonly RoleGrant[]): boolean {
  return grants.some(
    (r) =>
      r === role ||
      (r === 'feed:*' && role.startsWith('feed:')) ||
      (r === 'unit:*' && role.startsWith('unit:')),
  )
}

/**
 * Requires a caller with one of `roles` (a bearer token or a session cookie): 401 without
 * valid credentials, 403 with a role that may not. `feed:*` matches any feed role, `unit:*` any
 * unit. Failed bearer tokens are counted per client address; past the limit the answer is 429.
 */
export function requireRole(
  deps: Pick<AppDeps, 'sql' | 'config' | 'clock'>,
  ...roles: readonly RoleGrant[]
): MiddlewareHandler<AccessEnv> {
  const throttle = bearerThrottleFor(deps)
  return async (c, next) => {
    const bearer = bearerFrom(c.req.header('authorization'))
    const address = bearer ? requestAddress(c, deps.config) : ''
    const wait = bearer ? throttle.waitSeconds(address) : 0
    if (wait > 0) {
      c.header('Retry-After', String(wait))
      return apiError(
        c,
        429,
        'too_many_attempts',
        `too many unknown or revoked tokens from this address: wait ${wait} s`,
        'authorization',
      )
    }
    const principal = await resolvePrincipal(deps.sql, { bearer, cookie: getCookie(c, sessionCookie) })
    if (!principal) {
      if (bearer) throttle.recordFailure(address)
      c.header('WWW-Authenticate', 'Bearer')
      return apiError(
        c,
        401,
        'unauthorized',
        'missing, unknown or revoked token: send Authorization: Bearer <token>',
      )
    }
    if (!isGranted(principal.role, roles)) {
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
