import { belowMinSample } from './sample'
import type { UnitFigures } from './scorecard'

/** A unit as the ranking sees it: its code, name and figures over the window. */
export type Rankable = { unit: string; name: string } & UnitFigures

/** Open overdue work at the window's end: tickets overdue + dossiers overdue and open + tasks overdue. */
export const overdueWork = (u: UnitFigures): number =>
  u.tickets.overdue + u.dossiers.overdueOpen + u.tasks.overdue

/**
 * The on-time rates a unit is ranked by: tickets resolved, dossiers finished and tasks done on
 * time, each only when its sample (resolved, finished, done) is at least MIN_SAMPLE.
 */
export function rankedRates(u: UnitFigures): number[] {
  const rates: Array<[number | null, number]> = [
    [u.tickets.onTimeRate, u.tickets.resolved],
    [u.dossiers.onTimeRate, u.dossiers.finished],
    [u.tasks.onTimeRate, u.tasks.done],
  ]
  return rates.filter(([r, n]) => r !== null && !belowMinSample(n)).map(([r]) => r!)
}

const collator = new Intl.Collator('vi')

/**
 * THE unit ranking (docs/design.md §10), worst first; docs/kpi-engine.md explains it:
 * 1. more open overdue work (overdueWork) first;
 * 2. then the lower worst on-time rate among rankedRates (so a unit with two tickets is never
 *    judged by them); a unit with no rate of enough sample comes after every unit with one;
 * 3. then by name (Vietnamese collation), then by code, so the order is total and stable.
 */
export function compareUnits(a: Rankable, b: Rankable): number {
  const work = overdueWork(b) - overdueWork(a)
  if (work !== 0) return work
  const ra = rankedRates(a)
  const rb = rankedRates(b)
  if (ra.length === 0 || rb.length === 0) {
    if (ra.length !== rb.length) return ra.length === 0 ? 1 : -1
  } else {
    const worst = Math.min(...ra) - Math.min(...rb)
    if (worst !== 0) return worst
  }
  return collator.compare(a.name, b.name) || (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0)
}

/** The units in rank order, each with its `rank` (1 = worst). */
export function rankUnits<T extends Rankable>(units: readonly T[]): Array<T & { rank: number }> {
  return [...units].sort(compareUnits).map((u, i) => ({ ...u, rank: i + 1 }))
}
