import type { ProcedureCatalog } from '@citydeck/shared'
import { Hono } from 'hono'
import { type AccessEnv, requireRole } from '../access/middleware'
import type { AppDeps } from '../context'
import { procedureCatalog } from './catalog.sql'

/** `GET /api/v1/procedures`: the catalog by code, so lists and the dossier page show names, not codes. */
export function procedureRoutes(deps: AppDeps) {
  return new Hono<AccessEnv>().get('/', requireRole(deps, 'leader', 'admin', 'unit:*'), async (c) => {
    const rows = await procedureCatalog(deps.sql)
    const body: ProcedureCatalog = {
      items: rows.map((r) => ({
        code: r.code,
        name: r.name,
        field: r.field,
        level: r.level,
        ...(r.unit ? { unit: r.unit } : {}),
      })),
    }
    c.header('Cache-Control', 'private, max-age=300')
    return c.json(body)
  })
}
