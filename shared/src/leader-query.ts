import type { LeaderFilters } from './snapshot'

// How a leader screen's filters become the list APIs' queries: the server's leader view
// (server/src/leader-view/) and the client's "more rows" of a list page use the same rule.

/** How many list rows a view shows at first (and a snapshot keeps). */
export const listPageSize = 50

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
