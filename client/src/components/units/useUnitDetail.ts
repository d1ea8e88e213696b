import {
  addDays,
  type Dossier,
  dossierPageSchema,
  type KpiResponse,
  kpiBreakdownSchema,
  kpiResponseSchema,
  localDayOf,
  localDayStart,
  overdueWork,
  type Task,
  type Ticket,
  taskPageSchema,
  ticketPageSchema,
  toQuery,
} from '@citydeck/shared'
import { type Ref, shallowRef, watch } from 'vue'
import { getJson } from '../../app/api'
import { trendDays } from './useScorecard'

/** How many of each kind of overdue work a unit's page lists (the full list is one click away). */
export const overdueShown = 10

/** A part the unit's page cannot get (refused, failed, or not as the contract says) shows as missing. */
const orMissing = <T>(answer: Promise<T>): Promise<T | null> => answer.catch(() => null)

export type UnitDetail = {
  kpis: KpiResponse | null
  previous: KpiResponse | null
  city: KpiResponse | null
  overdue: { tickets: Ticket[] | null; dossiers: Dossier[] | null; tasks: Task[] | null }
  /** Overdue work at the end of each of the last 30 days, oldest first. */
  trend: Array<{ day: string; value: number }>
}

/**
 * A unit's page: its KPIs over the window and the one before, the city's over the window, its
 * overdue work now (soonest deadline first) and its 30-day trend (one `by=day` breakdown).
 */
export function useUnitDetail(options: {
  unit: () => string
  window: Ref<{ window: { from: string; to: string }; previousWindow: { from: string; to: string } }>
  timeZone: () => string
}) {
  const data = shallowRef<UnitDetail | null>(null)
  let asked = ''
  async function load() {
    const unit = options.unit()
    const { window, previousWindow } = options.window.value
    const key = JSON.stringify([unit, window, previousWindow])
    asked = key
    const tz = options.timeZone()
    const now = new Date()
    const today = localDayOf(now, tz)
    const from = localDayStart(addDays(today, 1 - trendDays), tz).toISOString()
    const overdue = (kind: string) =>
      `/api/v1/${kind}${toQuery({ unit, sla: 'overdue', sort: 'dueAt', limit: String(overdueShown) })}`
    const kpisOf = (query: Record<string, string>) =>
      orMissing(getJson(`/api/v1/kpis${toQuery(query)}`, kpiResponseSchema))
    const [kpis, previous, city, days, tickets, dossiers, tasks] = await Promise.all([
      kpisOf({ ...window, unit }),
      kpisOf({ ...previousWindow, unit }),
      kpisOf(window),
      orMissing(
        getJson(
          `/api/v1/kpis/breakdown${toQuery({ from, to: now.toISOString(), unit, by: 'day' })}`,
          kpiBreakdownSchema,
        ),
      ),
      orMissing(getJson(overdue('tickets'), ticketPageSchema)),
      orMissing(getJson(overdue('dossiers'), dossierPageSchema)),
      orMissing(getJson(overdue('tasks'), taskPageSchema)),
    ])
    if (asked !== key) return
    data.value = {
      kpis,
      previous,
      city,
      overdue: {
        tickets: tickets?.items ?? null,
        dossiers: dossiers?.items ?? null,
        tasks: tasks?.items ?? null,
      },
      trend: (days?.groups ?? []).map((g) => ({ day: g.key, value: overdueWork(g.kpis) })),
    }
  }
  watch(() => [options.unit(), options.window.value], load, { immediate: true })
  return { data, reload: load }
}
