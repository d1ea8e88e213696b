import type { SessionInfo } from '@citydeck/shared'
import { Hono } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { z } from 'zod'
import type { AppDeps } from '../context'
import { apiError } from '../http/errors'
import { parsedJson, requireJson } from '../http/json-body'
import { type AccessEnv, requireRole } from './middleware'
import { closeSession, openSession, sessionCookie } from './sessions'
import { resolveToken } from './tokens'

/** A wall's cookie outlives any browser restart (browsers cap cookies near 400 days). */
const displaySessionSeconds = 400 * 24 * 3600
const personSessionSeconds = 12 * 3600

const exchangeBody = z.object({ token: z.string().min(1) })

/**
 * `/api/v1/session`: exchange a token for a session cookie (a wall opened with `?token=`
 * keeps working from a bookmark), ask who you are, or log out.
 */
export function sessionRoutes(deps: AppDeps) {
  return new Hono<AccessEnv>()
    .post('/', requireJson(), async (c) => {
      const json = await parsedJson(c)
      if (!json.ok) return json.response
      const parsed = exchangeBody.safeParse(json.raw)
      if (!parsed.success) return apiError(c, 400, 'invalid_body', 'send {"token": "<token>"}', 'token')
      const token = await resolveToken(deps.sql, parsed.data.token)
      if (!token) return apiError(c, 401, 'unauthorized', 'unknown or revoked token', 'token')
      if (token.role.startsWith('feed:')) {
        return apiError(c, 403, 'forbidden', 'feed tokens ingest data; they cannot open a screen', 'token')
      }
      const maxAge = token.role === 'display' ? displaySessionSeconds : personSessionSeconds
      const session = await openSession(deps.sql, {
        role: token.role,
        tokenId: token.id,
        subject: token.label,
        maxAgeSeconds: maxAge,
      })
      setCookie(c, sessionCookie, session.secret, {
        httpOnly: true,
        sameSite: 'Lax',
        secure: isHttps(c.req.url, c.req.header('x-forwarded-proto')),
        path: '/',
        maxAge,
      })
      const body: SessionInfo = { role: token.role, label: token.label, via: 'session' }
      return c.json(body, 201)
    })
    .get('/', requireRole(deps, 'display', 'leader', 'admin'), (c) => {
      const p = c.get('principal')
      const body: SessionInfo = { role: p.role, label: p.label, via: p.via }
      return c.json(body)
    })
    .delete('/', async (c) => {
      const secret = getCookie(c, sessionCookie)
      if (secret) await closeSession(deps.sql, secret)
      deleteCookie(c, sessionCookie, { path: '/' })
      return c.body(null, 204)
    })
}

function isHttps(url: string, forwardedProto: string | undefined): boolean {
  return url.startsWith('https:') || forwardedProto === 'https'
}
