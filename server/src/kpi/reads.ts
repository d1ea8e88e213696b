import type { KpiBreakdown, KpiResponse } from '@citydeck/shared'
import type { RoleGrant } from '../access/middleware'
import type { AppDeps } from '../context'
import { type Answer, refuse } from '../http/answer'
import { breakdown, TooManyGroups } from './breakdown'
import { fullOnlineDossiers } from './catalog.sql'
import { computeKpis } from './compute'
import { breakdownSchema, isParamError, parseKpiQuery } from './params'
import type { KpiFilters } from './rollup-reads.sql'
import { score766 } from './score766'

/** Who reads KPIs (docs/design.md §3): displays, leaders and admins. */
export const kpiReaders: readonly RoleGrant[] = ['display', 'leader', 'admin']

type Query = Record<string, string | undefined>
type Deps = Pick<AppDeps, 'readSql' | 'city' | 'clock'>

const echo = (f: KpiFilters) => ({ ward: f.ward ?? null, unit: f.unit ?? null, category: f.category ?? null })

/** `GET /api/v1/kpis`: the keys of `from&to&ward&unit&category`, with `include=fullOnlineDossiers`. */
export async function readKpis(deps: Deps, raw: Query): Promise<Answer<KpiResponse>> {
  const query = parseKpiQuery(raw, deps.city.profile, deps.clock())
  if (isParamError(query)) return refuse(400, 'invalid_parameter', query.message, query.field)
  const include = raw.include
  if (include !== undefined && include !== 'fullOnlineDossiers')
    return refuse(400, 'invalid_parameter', 'include must be fullOnlineDossiers', 'include')
  // Read from the raw rows (the rollups are not split by procedure), so it grows with the
  // window: only the screens that show it ask for it, and the headline keys never wait on it.
  const [[kpis], fullOnline] = await Promise.all([
    computeKpis(deps.readSql, [query.window], query.filters),
    include ? fullOnlineDossiers(deps.readSql, query.window, query.filters) : undefined,
  ])
  return {
    ok: true,
    body: {
      ...kpis!,
      ...(fullOnline ? { fullOnlineDossiers: fullOnline } : {}),
      window: { from: query.window.from.toISOString(), to: query.window.to.toISOString() },
      filters: echo(query.filters),
      score766: score766(kpis!),
    },
  }
}

/** `GET /api/v1/kpis/breakdown`: the same keys per group of `by`. */
export async function readBreakdown(deps: Deps, raw: Query): Promise<Answer<KpiBreakdown>> {
  const by = breakdownSchema.safeParse(raw.by)
  if (!by.success)
    return refuse(400, 'invalid_parameter', `by must be one of ${breakdownSchema.options.join(', ')}`, 'by')
  const query = parseKpiQuery(raw, deps.city.profile, deps.clock())
  if (isParamError(query)) return refuse(400, 'invalid_parameter', query.message, query.field)
  try {
    const result = await breakdown({ ...deps, sql: deps.readSql }, by.data, query.window, query.filters)
    return {
      ok: true,
      body: {
        ...result,
        window: { from: query.window.from.toISOString(), to: query.window.to.toISOString() },
        filters: echo(query.filters),
      },
    }
  } catch (error) {
    if (error instanceof TooManyGroups)
      return refuse(400, 'invalid_parameter', `window too long for by=${by.data}: ${error.message}`, 'to')
    throw error
  }
}
