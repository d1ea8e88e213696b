import { filterWindows, type LeaderFilters, type LeaderView, type LeaderViewData } from '@citydeck/shared'

/** Calls the app's own API (in process) with the caller's credentials. */
export type ApiFetch = (path: string) => Promise<Response>

/** How many list rows a view shows (and a snapshot keeps). */
export const listPageSize = 50

/**
 * Collects everything a leader screen shows by calling the same public API the live page calls,
 * so a snapshot holds exactly the numbers the leader saw. A part whose API fails is `null`.
 */
export async function freezeView(
  api: ApiFetch,
  view: LeaderView,
  filters: LeaderFilters,
  timeZone: string,
): Promise<LeaderViewData> {
  const { window, previousWindow } = filterWindows(filters, timeZone)
  const scope = { ward: filters.ward, unit: filters.unit, category: filters.category }
  const kpiQuery = (w: { from: string; to: string }, s: Record<string, string | undefined>) =>
    query({ from: w.from, to: w.to, ...s })
  const breakdown = (by: string) => json(api(`/api/v1/kpis/breakdown${kpiQuery(window, { ...scope, by })}`))
  const list = (feed: 'tickets' | 'dossiers') =>
    json(
      api(
        `/api/v1/${feed}${query({ ...scope, field: filters.field, from: window.from, to: window.to, q: filters.q, sort: filters.sort, limit: String(listPageSize) })}`,
      ),
    ).then((body) => (body ? { items: body.items ?? [], nextCursor: body.nextCursor ?? null } : null))

  const [kpis, previousKpis, cityKpis, ward, category, unit, day, tickets, dossiers] = await Promise.all([
    json(api(`/api/v1/kpis${kpiQuery(window, scope)}`)),
    json(api(`/api/v1/kpis${kpiQuery(previousWindow, scope)}`)),
    json(api(`/api/v1/kpis${kpiQuery(window, {})}`)),
    breakdown('ward'),
    breakdown('category'),
    breakdown('unit'),
    breakdown('day'),
    view === 'dossiers' ? null : list('tickets'),
    view === 'dossiers' || view === 'city' ? list('dossiers') : null,
  ])
  return {
    window,
    previousWindow,
    kpis,
    previousKpis,
    cityKpis,
    breakdowns: { ward, category, unit, day },
    tickets,
    dossiers,
  }
}

function query(params: Record<string, string | undefined>): string {
  const defined = Object.entries(params).filter((e): e is [string, string] => !!e[1])
  return defined.length ? `?${new URLSearchParams(defined)}` : ''
}

// biome-ignore lint/suspicious/noExplicitAny: the parts are owned by other modules' APIs
async function json(response: Promise<Response>): Promise<any> {
  const res = await response
  return res.ok ? res.json() : null
}
