import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { auditRoutes } from './access/audit-routes'
import { loginRoutes } from './access/login-routes'
import { sessionRoutes } from './access/routes'
import { tokenRoutes } from './access/token-routes'
import { briefingRoutes } from './briefings/routes'
import { cityRoutes } from './city/routes'
import type { AppDeps } from './context'
import { DatabaseUnavailable, isDatabaseUnavailable } from './db/availability'
import { alertRoutes } from './direction/alert-routes'
import { directionRoutes } from './direction/routes'
import { open311Routes } from './feeds/open311/routes'
import { feedRoutes } from './feeds/routes'
import { databaseUnavailable, requireDatabase } from './http/database'
import { apiError } from './http/errors'
import { docsRoutes } from './http/openapi/routes'
import { cookieOriginGuard } from './http/origin'
import { refuseNulInPath } from './http/path-text'
import { securityHeaders } from './http/security-headers'
import { clientRoutes } from './http/static'
import { itemRoutes } from './items/routes'
import { kpiRoutes, unitRoutes } from './kpi/routes'
import { leaderViewRoutes } from './leader-view/routes'
import { logger } from './observability/logger'
import { httpMetrics } from './observability/metrics'
import { healthRoutes, metricsRoutes } from './observability/routes'
import { procedureRoutes } from './procedures/routes'
import { snapshotRoutes } from './snapshots/routes'

const log = logger.child({ module: 'http' })

/** The Hono app: each module's routes mounted under its path; the built client last. */
export function createApp(deps: AppDeps) {
  const app = new Hono()
  // First, so that every response, errors and 404s included, carries them.
  app.use(securityHeaders(deps.config))
  app.use(httpMetrics(deps.metrics))
  app.use(cookieOriginGuard(deps.config))
  app.use(requireDatabase(deps.database))
  app.use(refuseNulInPath())
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse()
    if (isDatabaseUnavailable(error) || error instanceof DatabaseUnavailable) {
      deps.database.report(error)
      return databaseUnavailable(c)
    }
    log.error({ err: error, path: c.req.path }, 'request failed')
    return apiError(c, 500, 'internal', 'Lỗi máy chủ / internal server error; the server log has the details')
  })

  app.route('/api/v1/health', healthRoutes(deps))
  app.route('/metrics', metricsRoutes(deps))
  app.route('/api/v1/city', cityRoutes(deps))
  app.route('/api/v1/session', sessionRoutes(deps))
  app.route('/api/v1/login', loginRoutes(deps))
  app.route('/api/v1/snapshots', snapshotRoutes(deps))
  app.route('/api/v1/briefings', briefingRoutes(deps))
  app.route('/api/v1/leader-view', leaderViewRoutes(deps))
  app.route('/api/v1/kpis', kpiRoutes(deps))
  app.route('/api/v1/procedures', procedureRoutes(deps))
  app.route('/api/v1/units', unitRoutes(deps))
  // Feature modules mount their routes here (feeds, access, kpi, snapshots).
  app.route('/api/v1/feeds', feedRoutes(deps))
  app.route('/api/v1/tokens', tokenRoutes(deps))
  app.route('/api/v1', directionRoutes(deps))
  app.route('/api/v1/alerts', alertRoutes(deps))
  app.route('/api/v1/audit', auditRoutes(deps))
  app.route('/api/v1', itemRoutes(deps))
  app.route('/open311/v2', open311Routes(deps))
  app.route('/api', docsRoutes())

  app.all('/api/*', (c) => apiError(c, 404, 'not_found', `no API route ${c.req.method} ${c.req.path}`))
  app.route('/', clientRoutes(deps.config.CLIENT_DIST))
  return app
}
