/** Time windows the wall asks the KPI API for, in the city's time zone (docs/design.md §1: "today" is local). */
import { addLocalDays, fromLocal, localParts } from '@citydeck/shared/time'

/** Local midnight (start of the city's day) containing `at`, `daysBack` days earlier. */
export function startOfLocalDay(at: Date, timeZone: string, daysBack = 0): Date {
  return addLocalDays(at, -daysBack, timeZone)
}

/** Start of the local month `monthsBack` months before the one containing `at`. */
export function startOfLocalMonth(at: Date, timeZone: string, monthsBack = 0): Date {
  const p = localParts(at, timeZone)
  return fromLocal(timeZone, p.year, p.month - monthsBack, 1)
}

export type Window = { from: string; to: string }

/** The named windows of the wall's scenes: today, the last 30 days, the last 12 months. */
export function wallWindows(now: Date, timeZone: string): Record<'today' | 'days30' | 'months12', Window> {
  const to = now.toISOString()
  return {
    today: { from: startOfLocalDay(now, timeZone).toISOString(), to },
    days30: { from: startOfLocalDay(now, timeZone, 29).toISOString(), to },
    months12: { from: startOfLocalMonth(now, timeZone, 11).toISOString(), to },
  }
}
