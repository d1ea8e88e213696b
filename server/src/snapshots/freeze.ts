import { type ApiFetch, type LeaderFilters, type LeaderView, loadLeaderView } from '@citydeck/shared'

export type { ApiFetch }

/**
 * Freezes a leader screen: the same loader the live page runs (shared), through the app's own
 * API with the caller's credentials, so the snapshot holds exactly what the leader saw.
 */
export function freezeView(
  api: ApiFetch,
  view: LeaderView,
  filters: LeaderFilters,
  timeZone: string,
  now: Date,
) {
  return loadLeaderView(api, view, filters, timeZone, now)
}
