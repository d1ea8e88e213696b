import type { LeaderFilters, LeaderView, LeaderViewData } from '@citydeck/shared'
import { isGranted } from '../access/middleware'
import type { Principal } from '../access/principal'
import type { AppDeps } from '../context'
import { leaderView } from '../leader-view/leader-view'
import { catalogReaders, readProcedureCatalog } from '../procedures/catalog'

/**
 * Freezes a leader screen: the same view the live page is answered with, read as `principal`
 * may read it, so the snapshot holds exactly what the leader saw. A one-day view also freezes
 * its summary (the same day last week, the day before's ward and category breakdowns) for the
 * printed "Tóm tắt" page, and every view the names of the procedures its dossiers name: the
 * snapshot's page is read without a login, so without the catalog.
 */
export async function freezeView(
  deps: Pick<AppDeps, 'sql' | 'readSql' | 'city' | 'clock'>,
  principal: Pick<Principal, 'role'>,
  view: LeaderView,
  filters: LeaderFilters,
  now: Date,
): Promise<LeaderViewData> {
  const data = await leaderView(deps, principal, view, filters, now, { summary: true })
  const codes = new Set(
    [...(data.dossiers?.items ?? []), ...(data.overdueDossiers?.items ?? [])].map((d) => d.procedureCode),
  )
  if (!codes.size || !isGranted(principal.role, catalogReaders)) return data
  const catalog = await readProcedureCatalog(deps.sql)
  return { ...data, procedures: catalog.items.filter((p) => codes.has(p.code)) }
}
