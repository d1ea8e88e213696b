import { type KpiSet, rankUnits, type UnitFigures, type UnitScorecard } from '@citydeck/shared'
import type { AppDeps } from '../context'
import { computeKpiGroups, emptyKpiSet, type KpiWindow } from './compute'

/** The window of equal length just before `w` (docs/design.md §10 `previousWindow`). */
export const previousWindow = (w: KpiWindow): KpiWindow => ({
  from: new Date(2 * w.from.getTime() - w.to.getTime()),
  to: w.from,
})

/** A unit's scorecard figures: the §10 subset of its KPI keys, never computed any other way. */
export const unitFigures = (k: KpiSet): UnitFigures => ({
  tickets: {
    received: k.tickets.received,
    resolved: k.tickets.resolved,
    onTimeRate: k.tickets.onTimeRate,
    medianResolveMinutes: k.tickets.medianResolveMinutes,
    overdue: k.tickets.overdue,
  },
  dossiers: {
    finished: k.dossiers.finished,
    onTimeRate: k.dossiers.onTimeRate,
    overdueOpen: k.dossiers.overdueOpen,
  },
  tasks: {
    issued: k.tasks.issued,
    done: k.tasks.done,
    onTimeRate: k.tasks.onTimeRate,
    overdue: k.tasks.overdue,
  },
  satisfaction: { responses: k.satisfaction.responses, rate: k.satisfaction.rate },
})

/**
 * Whether a unit belongs on the scorecard (docs/design.md §10): an item in the window (a ticket received
 * or resolved, a dossier received or finished, a task issued or done, an answer) or open work at
 * `to` (tickets or tasks open; dossiers: progressRate's denominator is finished + open at `to`,
 * so it is non-null exactly when a dossier was finished in the window or is open).
 */
export const onScorecard = (k: KpiSet): boolean =>
  k.tickets.received + k.tickets.resolved + k.tickets.open > 0 ||
  k.dossiers.received + k.dossiers.finished > 0 ||
  k.dossiers.progressRate !== null ||
  k.tasks.issued + k.tasks.done + k.tasks.open > 0 ||
  k.satisfaction.responses > 0

/**
 * `GET /api/v1/units/scorecard` (docs/design.md §10): one KPI statement for every unit and both windows
 * (computeKpiGroups by unit), so each figure is the sum `?unit=<code>` reads; ranked by rank.ts.
 */
export async function unitScorecard(
  deps: Pick<AppDeps, 'sql' | 'city'>,
  window: KpiWindow,
): Promise<UnitScorecard> {
  const previous = previousWindow(window)
  const [current, before] = await computeKpiGroups(deps.sql, [window, previous], {}, 'unit')
  const names = new Map(deps.city.profile.units.map((u) => [u.code, u.name]))
  const units = [...current!.entries()]
    .filter((e): e is [string, KpiSet] => e[0] !== null && onScorecard(e[1]))
    .map(([unit, kpis]) => ({
      unit,
      name: names.get(unit) ?? unit,
      ...unitFigures(kpis),
      previous: unitFigures(before!.get(unit) ?? emptyKpiSet(before!.catalog)),
    }))
  const iso = (w: KpiWindow) => ({ from: w.from.toISOString(), to: w.to.toISOString() })
  return { window: iso(window), previousWindow: iso(previous), units: rankUnits(units) }
}
