import { type ApiFetch, type LeaderFilters, type LeaderView, loadLeaderView } from '@citydeck/shared'

export type { ApiFetch }

/**
 * Freezes a leader screen: the same loader the live page runs (shared), through the app's own
 * API with the caller's credentials, so the snapshot holds exactly what the leader saw. A
 * one-day view also freezes its summary (the same day last week, the day before's ward and
 * category breakdowns) for the printed "Tóm tắt" page.
 */
export function freezeView(
  api: ApiFetch,
  view: LeaderView,
  filters: LeaderFilters,
  timeZone: string,
  now: Date,
) {
  return loadLeaderView(api, view, filters, timeZone, now, { summary: true })
}
