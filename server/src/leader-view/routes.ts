import { type LeaderViewData, leaderViewQuerySchema } from '@citydeck/shared'
import { Hono } from 'hono'
import { type AccessEnv, requireRole } from '../access/middleware'
import type { AppDeps } from '../context'
import { apiError } from '../http/errors'
import { leaderView, leaderViewReaders } from './leader-view'

/**
 * `GET /api/v1/leader-view?view&from&to&…` (the filters of a leader screen's URL): everything
 * the screen shows in one answer, each part as the caller may read it from its own API.
 */
export function leaderViewRoutes(deps: AppDeps) {
  return new Hono<AccessEnv>().get('/', requireRole(deps, ...leaderViewReaders), async (c) => {
    const parsed = leaderViewQuerySchema.safeParse(c.req.query())
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!
      const field = issue.path.join('.')
      return apiError(c, 400, 'invalid_query', `${field}: ${issue.message}`, field)
    }
    const { view, ...filters } = parsed.data
    const body: LeaderViewData = await leaderView(deps, c.get('principal'), view, filters, deps.clock())
    return c.json(body)
  })
}
