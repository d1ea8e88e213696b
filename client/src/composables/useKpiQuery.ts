import { computed, onActivated, onDeactivated, onMounted, onUnmounted } from 'vue'
import { kpiMaxAgeMs, kpiUrl, useWallKpiStore } from '../stores/wallKpis'
import type { WindowName } from '../wall/scenes'
import { type Window, wallWindows } from '../wall/windows'

export type UseKpiQueryOptions = {
  /** `scorecard`: every unit's figures (`GET /api/v1/units/scorecard`, docs/design.md §10). */
  kind: 'summary' | 'breakdown' | 'scorecard'
  window: WindowName
  timeZone: string
  /** `by` for a breakdown, plus the scope (`ward`). */
  params?: Record<string, string | null | undefined>
  /** How often to refresh while the panel is on screen. */
  everyMs?: number
}

/**
 * A KPI API result for a panel, refreshed while the panel is on screen (mounted and, inside the
 * wall's KeepAlive, active) and left alone while its scene is off screen. The timer goes with it.
 */
export function useKpiQuery(options: UseKpiQueryOptions) {
  const store = useWallKpiStore()
  const params = options.params ?? {}
  const key = `${options.kind}:${options.window}:${new URLSearchParams(
    Object.entries(params).filter((e): e is [string, string] => !!e[1]),
  )}`
  const url = () => {
    const window: Window = wallWindows(new Date(), options.timeZone)[options.window]
    const path = { summary: 'kpis', breakdown: 'kpis/breakdown', scorecard: 'units/scorecard' } as const
    return kpiUrl(path[options.kind], window, params)
  }
  const everyMs = options.everyMs ?? kpiMaxAgeMs
  // A result a little younger than the period still counts as due: the timer fires one period
  // after the last fetch started, its answer landed a moment later.
  const dueAfterMs = everyMs * 0.9
  let timer: ReturnType<typeof setInterval> | null = null
  const start = () => {
    if (timer) return
    void store.ensure(key, url, dueAfterMs)
    timer = setInterval(() => void store.ensure(key, url, dueAfterMs), everyMs)
  }
  const stop = () => {
    if (timer) clearInterval(timer)
    timer = null
  }
  onMounted(start)
  onActivated(start)
  onDeactivated(stop)
  onUnmounted(stop)
  return {
    key,
    summary: computed(() => store.summary(key)),
    breakdown: computed(() => store.breakdown(key)),
    scorecard: computed(() => store.scorecard(key)),
    error: computed(() => store.error(key)),
    refresh: () => store.fetchNow(key, url()),
  }
}
