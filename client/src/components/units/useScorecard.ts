import {
  addDays,
  type KpiBreakdown,
  kpiBreakdownSchema,
  localDayOf,
  localDayStart,
  overdueWork,
  toQuery,
  type UnitScorecard,
  unitScorecardSchema,
} from '@citydeck/shared'
import { type Ref, shallowRef, watch } from 'vue'
import { getJson } from '../../app/api'

/** Days a unit's sparkline covers (docs/design.md §10: "a sparkline of the last 30 days"). */
export const trendDays = 30
/** Day breakdowns fetched at once: 30 requests, never more than this many in flight. */
const inFlight = 4

/** The scorecard of the window, reloaded when it changes; a late answer for an old window is dropped. */
export function useScorecard(window: Ref<{ from: string; to: string }>) {
  const data = shallowRef<UnitScorecard | null>(null)
  const error = shallowRef<string | null>(null)
  let asked = ''
  watch(
    window,
    async (w) => {
      const key = `${w.from}|${w.to}`
      asked = key
      try {
        const body = await getJson(`/api/v1/units/scorecard${toQuery(w)}`, unitScorecardSchema)
        if (asked === key) [data.value, error.value] = [body, null]
      } catch (e) {
        if (asked === key) error.value = (e as Error).message
      }
    },
    { immediate: true },
  )
  return { data, error }
}

type UnitGroup = KpiBreakdown['groups'][number]

/**
 * Each unit's open overdue work (tickets + dossiers + tasks, as the rank counts it) at the end
 * of each of the last 30 city days, today's up to now. One `by=unit` breakdown per day: 30
 * requests however many units the city has (per-unit `by=day` would grow with the units).
 */
export function useUnitTrends(timeZone: () => string) {
  const trends = shallowRef<Map<string, number[]>>(new Map())
  const days = shallowRef<string[]>([])
  async function load(now = new Date()) {
    const tz = timeZone()
    const today = localDayOf(now, tz)
    const list = Array.from({ length: trendDays }, (_, i) => addDays(today, i - trendDays + 1))
    const perDay: Array<UnitGroup[]> = new Array(list.length)
    let next = 0
    const worker = async () => {
      while (next < list.length) {
        const i = next++
        const day = list[i]!
        const from = localDayStart(day, tz)
        const end = localDayStart(addDays(day, 1), tz)
        const to = end > now ? now : end
        const q = { from: from.toISOString(), to: to.toISOString(), by: 'unit' }
        const body = await getJson(`/api/v1/kpis/breakdown${toQuery(q)}`, kpiBreakdownSchema).catch(
          () => null,
        )
        perDay[i] = body?.groups ?? []
      }
    }
    await Promise.all(Array.from({ length: inFlight }, worker))
    const byUnit = new Map<string, number[]>()
    perDay.forEach((groups, i) => {
      for (const g of groups) {
        if (!g.kpis?.tickets) continue
        const series = byUnit.get(g.key) ?? new Array(list.length).fill(0)
        series[i] = overdueWork(g.kpis)
        byUnit.set(g.key, series)
      }
    })
    days.value = list
    trends.value = byUnit
  }
  return { trends, days, load }
}
