import type { LeaderFilters, LeaderView } from '@citydeck/shared'
import type { Principal } from '../access/principal'
import type { AppDeps } from '../context'
import { leaderView } from '../leader-view/leader-view'

/**
 * Freezes a leader screen: the same view the live page is answered with, read as `principal`
 * may read it, so the snapshot holds exactly what the leader saw. A one-day view also freezes
 * its summary (the same day last week, the day before's ward and category breakdowns) for the
 * printed "Tóm tắt" page.
 */
export function freezeView(
  deps: Pick<AppDeps, 'sql' | 'readSql' | 'city' | 'clock'>,
  principal: Pick<Principal, 'role'>,
  view: LeaderView,
  filters: LeaderFilters,
  now: Date,
) {
  return leaderView(deps, principal, view, filters, now, { summary: true })
}
