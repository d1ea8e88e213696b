import { type CreatedToken, createTokenSchema, type Role, type TokenInfo } from '@citydeck/shared'
import { Hono } from 'hono'
import type { AppDeps } from '../context'
import { requestAddress } from '../http/client-address'
import { apiError } from '../http/errors'
import { jsonBody, requireJson } from '../http/json-body'
import { audit } from './audit'
import { type AccessEnv, requireRole } from './middleware'
import { issueToken, listTokens, revokeToken, type TokenRecord } from './tokens'

/** `/api/v1/tokens` (admin): create (the secret is shown once), list, revoke. */
export function tokenRoutes(deps: AppDeps) {
  return new Hono<AccessEnv>()
    .use(requireRole(deps, 'admin'))
    .post('/', requireJson(), async (c) => {
      const parsed = await jsonBody(c, createTokenSchema)
      if (!parsed.ok) return parsed.response
      const { role, label } = parsed.data
      const { id, secret } = await issueToken(deps.sql, { role: role as Role, label })
      await audit(deps.sql, {
        principal: c.get('principal'),
        action: 'token.create',
        target: `token:${id}`,
        detail: { role, label: label ?? null },
        address: requestAddress(c, deps.config),
        at: deps.clock(),
      })
      const body: CreatedToken = { id, role, label: label ?? null, secret }
      return c.json(body, 201)
    })
    .get('/', async (c) => c.json({ items: (await listTokens(deps.sql)).map(tokenInfo) }))
    .delete('/:id', async (c) => {
      const id = Number(c.req.param('id'))
      if (!Number.isSafeInteger(id) || id <= 0) return apiError(c, 404, 'not_found', 'no such token')
      if (!(await revokeToken(deps.sql, id))) {
        return apiError(c, 404, 'not_found', `token ${id} does not exist or is already revoked`)
      }
      await audit(deps.sql, {
        principal: c.get('principal'),
        action: 'token.revoke',
        target: `token:${id}`,
        address: requestAddress(c, deps.config),
        at: deps.clock(),
      })
      return c.body(null, 204)
    })
}

export function tokenInfo(t: TokenRecord): TokenInfo {
  return {
    id: t.id,
    role: t.role,
    label: t.label,
    seeded: t.seeded,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  }
}
