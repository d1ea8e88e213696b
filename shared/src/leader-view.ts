import type { LeaderFilters, LeaderSummaryData, LeaderView, LeaderViewData } from './snapshot'
import { addDays, filterWindows, localDayStart } from './snapshot'

/** Fetches one API path (`/api/v1/...`) with whatever credentials the caller holds. */
export type ApiFetch = (path: string) => Promise<ApiResponse>
/** The part of a fetch `Response` the loader uses (shared has no DOM types). */
export type ApiResponse = { ok: boolean; json: () => Promise<unknown> }

/** How many list rows a view shows at first (and a snapshot keeps). */
export const listPageSize = 50

/**
 * How many open tickets the city and ward maps draw: the most urgent ones (the live stream's
 * snapshot is capped the same way), so a map, a frozen snapshot and its PDF stay bounded.
 */
export const mapTicketCap = 300

/** Query string of the set parameters, in a stable order. */
export function toQuery(params: Record<string, string | undefined>): string {
  const defined = Object.entries(params).filter((e): e is [string, string] => !!e[1])
  return defined.length ? `?${defined.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}` : ''
}

/**
 * `GET /api/v1/tickets|dossiers` parameters of the filters over a window (not the cursor). With
 * an SLA state the list is of what is in that state now, whenever it was received (the
 * "Quá hạn" tile counts overdue items of any age), so the window does not narrow it.
 */
export function listQuery(
  filters: LeaderFilters,
  window: { from: string; to: string },
  limit = listPageSize,
) {
  return {
    ward: filters.ward,
    unit: filters.unit,
    category: filters.category,
    field: filters.field,
    sla: filters.sla,
    status: filters.status,
    from: filters.sla ? undefined : window.from,
    to: filters.sla ? undefined : window.to,
    q: filters.q,
    sort: filters.sort,
    limit: String(limit),
  }
}

/**
 * Everything a leader screen shows, from the public API. The live page and a snapshot both use
 * it: the server freezes its result, the page renders the same shape, so a snapshot shows the
 * numbers the leader saw. A part whose API fails is `null`.
 */
export async function loadLeaderView(
  api: ApiFetch,
  view: LeaderView,
  filters: LeaderFilters,
  timeZone: string,
  now = new Date(),
  options: { summary?: boolean } = {},
): Promise<LeaderViewData> {
  const { window, previousWindow, days } = filterWindows(filters, timeZone, now)
  const scope = { ward: filters.ward, unit: filters.unit, category: filters.category }
  const kpis = (w: { from: string; to: string }, s: Record<string, string | undefined>) =>
    json(api(`/api/v1/kpis${toQuery({ from: w.from, to: w.to, ...s })}`))
  const breakdown = (by: string) =>
    json(api(`/api/v1/kpis/breakdown${toQuery({ from: window.from, to: window.to, ...scope, by })}`))
  const list = (feed: 'tickets' | 'dossiers') =>
    json(api(`/api/v1/${feed}${toQuery(listQuery(filters, window))}`)).then(page)
  const byField = (w: { from: string; to: string }) =>
    json(api(`/api/v1/kpis/breakdown${toQuery({ from: w.from, to: w.to, ...scope, by: 'field' })}`))
  const overdueTasks = () =>
    json(
      api(
        `/api/v1/tasks${toQuery({ sla: 'overdue', sort: 'dueAt', ward: filters.ward, unit: filters.unit, limit: String(listPageSize) })}`,
      ),
    ).then((body) => (body ? { items: body.items ?? [] } : null))
  const urgent = (feed: 'tickets' | 'dossiers', extra: Record<string, string | undefined>, limit: number) =>
    json(api(`/api/v1/${feed}${toQuery({ ...scope, ...extra, sort: 'dueAt', limit: String(limit) })}`))
  const mapped = view === 'city' || view === 'ward'
  const breakdownIn = (w: { from: string; to: string }, by: string) =>
    json(api(`/api/v1/kpis/breakdown${toQuery({ from: w.from, to: w.to, ...scope, by })}`))
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
    breakdown('ward'),
    breakdown('category'),
    breakdown('unit'),
    breakdown('day'),
    byField(window),
    filters.field ? byField(previousWindow) : null,
    view === 'dossiers' ? null : list('tickets'),
    view === 'dossiers' ? list('dossiers') : null,
    overdueTasks(),
    options.summary && days === 1 ? summary() : null,
    mapped ? urgent('tickets', { open: 'true' }, mapTicketCap) : null,
    options.summary && mapped
      ? urgent('dossiers', { sla: 'overdue', field: filters.field }, listPageSize)
      : null,
  ])
  if (filters.field) {
    // The KPI API has no field filter; its per-field breakdown gives the field's dossier KPIs.
    narrowDossiers(current, field, filters.field)
    narrowDossiers(previous, fieldBefore, filters.field)
  }
  return {
    window,
    previousWindow,
    kpis: current,
    previousKpis: previous,
    cityKpis: city,
    breakdowns: { ward, category, unit, day, field },
    tickets,
    dossiers,
    overdueTasks: overdue,
    ...(mapped ? { mapTickets: page(mapTickets) } : {}),
    ...(options.summary && mapped ? { overdueDossiers: page(overdueDossiers) } : {}),
    ...(sum ? { summary: sum } : {}),
  }
}

// biome-ignore lint/suspicious/noExplicitAny: the list API's page, as fetched
function page(body: any) {
  return body ? { items: body.items ?? [], nextCursor: body.nextCursor ?? null } : null
}

/** Replaces a KPI response's dossier figures with those of one procedure field (none: empty). */
// biome-ignore lint/suspicious/noExplicitAny: KPI shapes are owned by the KPI module
function narrowDossiers(kpis: any, breakdown: any, field: string) {
  if (!kpis?.dossiers) return
  const group = breakdown?.groups?.find((g: { key: string }) => g.key === field)
  kpis.dossiers =
    group?.kpis?.dossiers ??
    Object.fromEntries(
      Object.entries(kpis.dossiers).map(([k, v]) => [
        k,
        typeof v === 'number' && !k.endsWith('Rate') && !k.startsWith('avg') ? 0 : null,
      ]),
    )
}

// biome-ignore lint/suspicious/noExplicitAny: the parts are owned by other modules' APIs
async function json(response: Promise<ApiResponse>): Promise<any> {
  const res = await response
  return res.ok ? res.json() : null
}
