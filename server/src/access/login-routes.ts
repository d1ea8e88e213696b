import { type SessionInfo, storableText } from '@citydeck/shared'
import { Hono } from 'hono'
import { setCookie } from 'hono/cookie'
import { z } from 'zod'
import type { AppDeps } from '../context'
import { requestAddress } from '../http/client-address'
import { apiError } from '../http/errors'
import { parsedJson, requireJson } from '../http/json-body'
import { audit } from './audit'
import { loginWaitSeconds, recordLoginFailure, recordLoginSuccess } from './login-throttle'
import { openSession, sessionCookie } from './sessions'
import { findUser } from './users'
import { dummyPasswordHash, verifyPassword } from './users-password'

/** A leader's working day; they log in again tomorrow. */
const userSessionSeconds = 12 * 3600

const loginBody = z.object({ name: storableText(100), password: z.string().min(1).max(1000) })

/** `POST /api/v1/login {name, password}` → a session cookie (logout is `DELETE /api/v1/session`). */
export function loginRoutes(deps: AppDeps) {
  return new Hono().post('/', requireJson(), async (c) => {
    const json = await parsedJson(c)
    if (!json.ok) return json.response
    const parsed = loginBody.safeParse(json.raw)
    if (!parsed.success) {
      const field = parsed.error.issues[0]!.path.join('.') || 'body'
      return apiError(
        c,
        400,
        'invalid_body',
        `${field}: send {"name": "<user>", "password": "<password>"}`,
        field,
      )
    }
    const { name, password } = parsed.data
    const ip = requestAddress(c, deps.config)
    const now = deps.clock()
    // Throttled attempts are answered before the password is looked at: a guesser learns nothing.
    const wait = await loginWaitSeconds(deps.sql, name, ip, now)
    if (wait > 0) {
      c.header('Retry-After', String(wait))
      return apiError(
        c,
        429,
        'too_many_attempts',
        `Quá nhiều lần đăng nhập sai / too many failed logins for this name from this address: wait ${wait} s`,
      )
    }
    const user = await findUser(deps.sql, name)
    // Verify against a dummy hash for unknown names so the answer takes the same time.
    const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()))
    if (!user || !ok || user.disabledAt) {
      await recordLoginFailure(deps.sql, name, ip, now)
      return apiError(c, 401, 'bad_credentials', 'Sai tên hoặc mật khẩu / wrong name or password')
    }
    await recordLoginSuccess(deps.sql, name, ip, now)
    const session = await openSession(deps.sql, {
      role: user.role,
      subject: user.name,
      maxAgeSeconds: userSessionSeconds,
    })
    await audit(deps.sql, {
      principal: { label: user.name, role: user.role, tokenId: null },
      action: 'login',
      target: `user:${user.name}`,
      address: ip,
      at: now,
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
