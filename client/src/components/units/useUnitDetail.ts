import { addDays, type KpiSet, localDayOf, localDayStart, overdueWork, toQuery } from '@citydeck/shared'
import { type Ref, shallowRef, watch } from 'vue'
import { fetchWithin } from '../../app/fetchWithin'
import type { Loose } from '../leader/types'
import { trendDays } from './useScorecard'

/** How many of each kind of overdue work a unit's page lists (the full list is one click away). */
export const overdueShown = 10

async function json(path: string): Promise<Loose | null> {
  const res = await fetchWithin(path, { credentials: 'same-origin' })
  return res.ok ? ((await res.json()) as Loose) : null
}

export type UnitDetail = {
  kpis: Loose | null
  previous: Loose | null
  city: Loose | null
  overdue: Record<'tickets' | 'dossiers' | 'tasks', Loose[] | null>
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
      json(`/api/v1/${kind}${toQuery({ unit, sla: 'overdue', sort: 'dueAt', limit: String(overdueShown) })}`)
    const [kpis, previous, city, days, tickets, dossiers, tasks] = await Promise.all([
      json(`/api/v1/kpis${toQuery({ ...window, unit })}`),
      json(`/api/v1/kpis${toQuery({ ...previousWindow, unit })}`),
      json(`/api/v1/kpis${toQuery(window)}`),
      json(`/api/v1/kpis/breakdown${toQuery({ from, to: now.toISOString(), unit, by: 'day' })}`),
      overdue('tickets'),
      overdue('dossiers'),
      overdue('tasks'),
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
      trend: ((days?.groups ?? []) as Array<{ key: string; kpis: KpiSet | undefined }>).map((g) => ({
        day: g.key,
        value: g.kpis?.tickets ? overdueWork(g.kpis) : 0,
      })),
    }
  }
  watch(() => [options.unit(), options.window.value], load, { immediate: true })
  return { data, reload: load }
}
