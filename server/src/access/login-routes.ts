import { type SessionInfo, storableText } from '@citydeck/shared'
import { getConnInfo } from '@hono/node-server/conninfo'
import { Hono } from 'hono'
import { setCookie } from 'hono/cookie'
import { z } from 'zod'
import type { AppDeps } from '../context'
import { apiError } from '../http/errors'
import { clearLoginFailures, loginBlocked, loginLimits, recordLoginFailure } from './login-throttle'
import { openSession, sessionCookie } from './sessions'
import { findUser } from './users'
import { dummyPasswordHash, verifyPassword } from './users-password'

/** A leader's working day; they log in again tomorrow. */
const userSessionSeconds = 12 * 3600

const loginBody = z.object({ name: storableText(100), password: z.string().min(1).max(1000) })

/** `POST /api/v1/login {name, password}` → a session cookie (logout is `DELETE /api/v1/session`). */
export function loginRoutes(deps: AppDeps) {
  return new Hono().post('/', async (c) => {
    const parsed = loginBody.safeParse(await c.req.json().catch(() => null))
    if (!parsed.success) {
      return apiError(c, 400, 'invalid_body', 'send {"name": "<user>", "password": "<password>"}')
    }
    const { name, password } = parsed.data
    const ip = clientAddress(c)
    if (await loginBlocked(deps.sql, name, ip)) {
      c.header('Retry-After', String(loginLimits.windowSeconds))
      return apiError(
        c,
        429,
        'too_many_attempts',
        'Quá nhiều lần đăng nhập sai / too many failed logins: wait a minute',
      )
    }
    const user = await findUser(deps.sql, name)
    // Verify against a dummy hash for unknown names so the answer takes the same time.
    const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()))
    if (!user || !ok || user.disabledAt) {
      await recordLoginFailure(deps.sql, name, ip)
      return apiError(c, 401, 'bad_credentials', 'Sai tên hoặc mật khẩu / wrong name or password')
    }
    await clearLoginFailures(deps.sql, name)
    const session = await openSession(deps.sql, {
      role: user.role,
      subject: user.name,
      maxAgeSeconds: userSessionSeconds,
    })
    setCookie(c, sessionCookie, session.secret, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: c.req.url.startsWith('https:') || c.req.header('x-forwarded-proto') === 'https',
      path: '/',
      maxAge: userSessionSeconds,
    })
    const body: SessionInfo = { role: user.role, label: user.name, via: 'session' }
    return c.json(body, 201)
  })
}

function clientAddress(c: Parameters<typeof getConnInfo>[0]): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'unknown' // not on a Node socket (app.request in tests)
  }
}
