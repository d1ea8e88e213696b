import type { KpiBreakdown, KpiResponse, UnitScorecard } from '@citydeck/shared'
import { Hono } from 'hono'
import { requireRole } from '../access/middleware'
import type { AppDeps } from '../context'
import { apiError } from '../http/errors'
import { breakdown, TooManyGroups } from './breakdown'
import { fullOnlineDossiers } from './catalog.sql'
import { computeKpis } from './compute'
import { breakdownSchema, isParamError, parseKpiQuery } from './params'
import type { KpiFilters } from './rollup.sql'
import { score766 } from './score766'
import { unitScorecard } from './scorecard'

const echo = (f: KpiFilters) => ({ ward: f.ward ?? null, unit: f.unit ?? null, category: f.category ?? null })

/** `GET /api/v1/kpis` and `/api/v1/kpis/breakdown` (docs/design.md §3), for displays, leaders and admins. */
export function kpiRoutes(deps: AppDeps) {
  return new Hono()
    .use(requireRole(deps, 'display', 'leader', 'admin'))
    .get('/', async (c) => {
      const query = parseKpiQuery(c.req.query(), deps.city.profile, deps.clock())
      if (isParamError(query)) return apiError(c, 400, 'invalid_parameter', query.message, query.field)
      const include = c.req.query('include')
      if (include !== undefined && include !== 'fullOnlineDossiers')
        return apiError(c, 400, 'invalid_parameter', 'include must be fullOnlineDossiers', 'include')
      // Read from the raw rows (the rollups are not split by procedure), so it grows with the
      // window: only the screens that show it ask for it, and the headline keys never wait on it.
      const [[kpis], fullOnline] = await Promise.all([
        computeKpis(deps.readSql, [query.window], query.filters),
        include ? fullOnlineDossiers(deps.readSql, query.window, query.filters) : undefined,
      ])
      const body: KpiResponse = {
        ...kpis!,
        ...(fullOnline ? { fullOnlineDossiers: fullOnline } : {}),
        window: { from: query.window.from.toISOString(), to: query.window.to.toISOString() },
        filters: echo(query.filters),
        score766: score766(kpis!),
      }
      return c.json(body)
    })
    .get('/breakdown', async (c) => {
      const by = breakdownSchema.safeParse(c.req.query('by'))
      if (!by.success) {
        return apiError(
          c,
          400,
          'invalid_parameter',
          `by must be one of ${breakdownSchema.options.join(', ')}`,
          'by',
        )
      }
      const query = parseKpiQuery(c.req.query(), deps.city.profile, deps.clock())
      if (isParamError(query)) return apiError(c, 400, 'invalid_parameter', query.message, query.field)
      try {
        const result = await breakdown({ ...deps, sql: deps.readSql }, by.data, query.window, query.filters)
        const body: KpiBreakdown = {
          ...result,
          window: { from: query.window.from.toISOString(), to: query.window.to.toISOString() },
          filters: echo(query.filters),
        }
        return c.json(body)
      } catch (error) {
        if (error instanceof TooManyGroups) {
          return apiError(
            c,
            400,
            'invalid_parameter',
            `window too long for by=${by.data}: ${error.message}`,
            'to',
          )
        }
        throw error
      }
    })
}

/** `GET /api/v1/units/scorecard?from&to` (docs/design.md §10), for displays, leaders and admins. */
export function unitRoutes(deps: AppDeps) {
  return new Hono().use(requireRole(deps, 'display', 'leader', 'admin')).get('/scorecard', async (c) => {
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
