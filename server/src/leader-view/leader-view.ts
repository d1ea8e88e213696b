import {
  addDays,
  filterWindows,
  type KpiBreakdown,
  type KpiResponse,
  type KpiSet,
  type LeaderFilters,
  type LeaderSummaryData,
  type LeaderView,
  type LeaderViewData,
  listPageSize,
  listQuery,
  localDayStart,
} from '@citydeck/shared'
import { isGranted, type RoleGrant } from '../access/middleware'
import type { Principal } from '../access/principal'
import type { AppDeps } from '../context'
import { readTaskPage, taskReaders } from '../direction/task-page'
import type { Answer } from '../http/answer'
import { itemReaders, readItemPage } from '../items/list-page'
import { kpiReaders, readBreakdown, readKpis } from '../kpi/reads'

/** Who may ask for a leader view: anyone who may read one of its parts (each part as its API). */
export const leaderViewReaders: readonly RoleGrant[] = [
  ...new Set([...kpiReaders, ...itemReaders, ...taskReaders]),
]

/**
 * How many open tickets the city and ward maps draw: the most urgent ones (the live stream's
 * snapshot is capped the same way), so a map, a frozen snapshot and its PDF stay bounded.
 */
export const mapTicketCap = 300

type Window = { from: string; to: string }
type Params = Record<string, string | undefined>

/**
 * Everything a leader screen shows, read in-process by the same reads the KPI, list and task
 * routes answer with, under the same access and redaction rules for `principal`. The live page
 * (`GET /api/v1/leader-view`) and a snapshot both use it, so a snapshot holds the numbers the
 * leader saw. A part the caller may not read, or whose read refuses the filters, is `null`.
 * `summary`: a one-day view also carries the same day last week and the day before's ward and
 * category breakdowns, for the printed "Tóm tắt" page.
 */
export async function leaderView(
  deps: Pick<AppDeps, 'sql' | 'readSql' | 'city' | 'clock'>,
  principal: Pick<Principal, 'role'>,
  view: LeaderView,
  filters: LeaderFilters,
  now: Date,
  options: { summary?: boolean } = {},
): Promise<LeaderViewData> {
  const timeZone = deps.city.profile.timeZone
  const { window, previousWindow, days } = filterWindows(filters, timeZone, now)
  /** The read's body if the caller may read it and it takes these parameters, else null. */
  const part = async <T>(grants: readonly RoleGrant[], read: () => Promise<Answer<T>>): Promise<T | null> => {
    if (!isGranted(principal.role, grants)) return null
    const answer = await read()
    return answer.ok ? answer.body : null
  }
  const scope = { ward: filters.ward, unit: filters.unit, category: filters.category }
  const kpis = (w: Window, s: Params) => part(kpiReaders, () => readKpis(deps, given({ ...w, ...s })))
  const breakdownIn = (w: Window, by: string) =>
    part(kpiReaders, () => readBreakdown(deps, given({ ...w, ...scope, by })))
  const list = <K extends 'tickets' | 'dossiers'>(kind: K, params: Params) =>
    part(itemReaders, () => readItemPage(deps, principal, kind, given(params)))
  const overdueTasks = async () => {
    const page = await part(taskReaders, () =>
      readTaskPage(
        deps,
        principal,
        given({
          sla: 'overdue',
          sort: 'dueAt',
          ward: filters.ward,
          unit: filters.unit,
          limit: String(listPageSize),
        }),
      ),
    )
    return page ? { items: page.items } : null
  }
  const urgent = <K extends 'tickets' | 'dossiers'>(kind: K, extra: Params, limit: number) =>
    list(kind, { ...scope, ...extra, sort: 'dueAt', limit: String(limit) })
  const mapped = view === 'city' || view === 'ward'
  const summarised = options.summary === true
  // The same span a week earlier in city days (one day: the same weekday last week, as far into it).
  const weekAgoFrom = localDayStart(addDays(filters.from, -7), timeZone)
  const weekAgoWindow = {
    from: weekAgoFrom.toISOString(),
    to: new Date(weekAgoFrom.getTime() + Date.parse(window.to) - Date.parse(window.from)).toISOString(),
  }
  const summary = async (): Promise<LeaderSummaryData> => {
    const [weekAgoKpis, wardBefore, categoryBefore] = await Promise.all([
      kpis(weekAgoWindow, scope),
      breakdownIn(previousWindow, 'ward'),
      breakdownIn(previousWindow, 'category'),
    ])
    return { weekAgoWindow, weekAgoKpis, previousBreakdowns: { ward: wardBefore, category: categoryBefore } }
  }
  const [
    current,
    previous,
    city,
    ward,
    category,
    unit,
    day,
    field,
    fieldBefore,
    tickets,
    dossiers,
    overdue,
    sum,
    mapTickets,
    overdueDossiers,
  ] = await Promise.all([
    kpis(window, scope),
    kpis(previousWindow, scope),
    kpis(window, {}),
    breakdownIn(window, 'ward'),
    breakdownIn(window, 'category'),
    breakdownIn(window, 'unit'),
    breakdownIn(window, 'day'),
    breakdownIn(window, 'field'),
    filters.field ? breakdownIn(previousWindow, 'field') : null,
    view === 'dossiers' ? null : list('tickets', listQuery(filters, window)),
    view === 'dossiers' ? list('dossiers', listQuery(filters, window)) : null,
    overdueTasks(),
    summarised && days === 1 ? summary() : null,
    mapped ? urgent('tickets', { open: 'true' }, mapTicketCap) : null,
    summarised && mapped ? urgent('dossiers', { sla: 'overdue', field: filters.field }, listPageSize) : null,
  ])
  return {
    window,
    previousWindow,
    // The KPI API has no field filter; its per-field breakdown gives the field's dossier KPIs.
    kpis: filters.field ? narrowedToField(current, field, filters.field) : current,
    previousKpis: filters.field ? narrowedToField(previous, fieldBefore, filters.field) : previous,
    cityKpis: city,
    breakdowns: { ward, category, unit, day, field },
    tickets,
    dossiers,
    overdueTasks: overdue,
    ...(mapped ? { mapTickets } : {}),
    ...(summarised && mapped ? { overdueDossiers } : {}),
    ...(sum ? { summary: sum } : {}),
  }
}

/** The parameters that are set, as a query string would carry them (an empty one is not sent). */
function given(params: Params): Params {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => !!v))
}

/** A field no dossier of the window belongs to: no counts, and no rates or averages. */
const noDossiers: KpiSet['dossiers'] = {
  received: 0,
  onlineRate: null,
  finished: 0,
  onTimeRate: null,
  progressRate: null,
  open: 0,
  overdueOpen: 0,
  avgProcessingDays: null,
  digitizedInputRate: null,
  digitizedResultRate: null,
  onlinePaymentRate: null,
}

/** The KPIs with their dossier figures replaced by those of one procedure field. */
function narrowedToField(
  kpis: KpiResponse | null,
  byField: KpiBreakdown | null,
  field: string,
): KpiResponse | null {
  if (!kpis) return null
  const group = byField?.groups.find((g) => g.key === field)
  return { ...kpis, dossiers: group?.kpis.dossiers ?? noDossiers }
}
