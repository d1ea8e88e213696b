import type { UnitScorecard } from '@citydeck/shared'
import { Hono } from 'hono'
import { requireRole } from '../access/middleware'
import type { AppDeps } from '../context'
import { refusal } from '../http/answer'
import { apiError } from '../http/errors'
import { isParamError, parseKpiQuery } from './params'
import { kpiReaders, readBreakdown, readKpis } from './reads'
import { unitScorecard } from './scorecard'

/** `GET /api/v1/kpis` and `/api/v1/kpis/breakdown` (docs/design.md §3), for displays, leaders and admins. */
export function kpiRoutes(deps: AppDeps) {
  return new Hono()
    .use(requireRole(deps, ...kpiReaders))
    .get('/', async (c) => {
      const answer = await readKpis(deps, c.req.query())
      return answer.ok ? c.json(answer.body) : refusal(c, answer)
    })
    .get('/breakdown', async (c) => {
      const answer = await readBreakdown(deps, c.req.query())
      return answer.ok ? c.json(answer.body) : refusal(c, answer)
    })
}

/** `GET /api/v1/units/scorecard?from&to` (docs/design.md §10), for displays, leaders and admins. */
export function unitRoutes(deps: AppDeps) {
  return new Hono().use(requireRole(deps, ...kpiReaders)).get('/scorecard', async (c) => {
    // Only the window: the scorecard is every unit of the whole city.
    const query = parseKpiQuery(
      { from: c.req.query('from'), to: c.req.query('to') },
      deps.city.profile,
      deps.clock(),
    )
    if (isParamError(query)) return apiError(c, 400, 'invalid_parameter', query.message, query.field)
    const body: UnitScorecard = await unitScorecard({ ...deps, sql: deps.readSql }, query.window)
    return c.json(body)
  })
}
