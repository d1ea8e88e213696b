import {
  type ApiFetch,
  type LeaderFilters,
  type LeaderView,
  type LeaderViewData,
  loadLeaderView,
  type ProcedureCatalog,
} from '@citydeck/shared'

export type { ApiFetch }

/**
 * Freezes a leader screen: the same loader the live page runs (shared), through the app's own
 * API with the caller's credentials, so the snapshot holds exactly what the leader saw. A
 * one-day view also freezes its summary (the same day last week, the day before's ward and
 * category breakdowns) for the printed "Tóm tắt" page, and every view the names of the
 * procedures its dossiers name: the snapshot's page is read without a login, so without the catalog.
 */
export async function freezeView(
  api: ApiFetch,
  view: LeaderView,
  filters: LeaderFilters,
  timeZone: string,
  now: Date,
): Promise<LeaderViewData> {
  const data = await loadLeaderView(api, view, filters, timeZone, now, { summary: true })
  const procedures = await proceduresNamed(api, data)
  return procedures ? { ...data, procedures } : data
}

/** The catalog entries of the procedures the frozen dossiers name; null when none or unreadable. */
async function proceduresNamed(api: ApiFetch, data: LeaderViewData) {
  const codes = new Set(
    [...(data.dossiers?.items ?? []), ...(data.overdueDossiers?.items ?? [])].map((d) => d.procedureCode),
  )
  if (!codes.size) return null
  const res = await api('/api/v1/procedures')
  if (!res.ok) return null
  const catalog = (await res.json()) as ProcedureCatalog
  return catalog.items.filter((p) => codes.has(p.code))
}
