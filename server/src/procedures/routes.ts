import { Hono } from 'hono'
import { type AccessEnv, requireRole } from '../access/middleware'
import type { AppDeps } from '../context'
import { catalogReaders, readProcedureCatalog } from './catalog'

/** `GET /api/v1/procedures`: the catalog by code, so lists and the dossier page show names, not codes. */
export function procedureRoutes(deps: AppDeps) {
  return new Hono<AccessEnv>().get('/', requireRole(deps, ...catalogReaders), async (c) => {
    c.header('Cache-Control', 'private, max-age=300')
    return c.json(await readProcedureCatalog(deps.sql))
  })
}
