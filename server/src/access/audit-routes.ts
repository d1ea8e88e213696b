import { type AuditPage, auditQuerySchema } from '@citydeck/shared'
import { Hono } from 'hono'
import type { AppDeps } from '../context'
import { apiError } from '../http/errors'
import { readAudit } from './audit.sql'
import { type AccessEnv, requireRole } from './middleware'

/** `GET /api/v1/audit?limit&before` (admin): the audit log, newest first. Read only, by design. */
export function auditRoutes(deps: AppDeps) {
  return new Hono<AccessEnv>().get('/', requireRole(deps, 'admin'), async (c) => {
    const parsed = auditQuerySchema.safeParse(c.req.query())
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!
      const field = issue.path.join('.')
      return apiError(c, 400, 'invalid_parameter', `${field}: ${issue.message}`, field)
    }
    const { limit, before } = parsed.data
    const items = await readAudit(deps.sql, limit, before)
    const body: AuditPage = { items, nextBefore: items.length === limit ? items.at(-1)!.id : null }
    return c.json(body)
  })
}
