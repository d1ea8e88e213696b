import type { KpiSet } from '@citydeck/shared'
import { todayWindow } from '@citydeck/shared/time'
import type { AppDeps } from '../context'
import type { FeedChanged } from '../events'
import { logger } from '../observability/logger'
import { computeKpis } from './compute'

const log = logger.child({ module: 'live-kpis' })

/** Today's KPIs (city time zone) for the whole city or one ward, from the rollups. */
export async function todayKpis(
  deps: Pick<AppDeps, 'sql' | 'city' | 'clock'>,
  scope: { ward?: string },
): Promise<KpiSet> {
  const window = todayWindow(deps.clock(), deps.city.profile.timeZone)
  const [kpis] = await computeKpis(deps.sql, [window], scope.ward ? { ward: scope.ward } : {})
  return kpis!
}

export type LiveKpisOptions = {
  /** Minimum time between two recomputations (ms): a burst becomes a few, never one per item. */
  intervalMs?: number
  setTimer?: (fn: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
}

/**
 * Turns `feed.changed` into `kpis.changed`: waits `intervalMs` after the first change,
 * recomputes today's KPIs for the city and each ward touched since, and announces them with
 * the highest change-log `seq` they include. Changes during a recomputation schedule one more,
 * so the last announcement always follows the last change.
 */
export function startLiveKpis(
  deps: Pick<AppDeps, 'sql' | 'city' | 'clock' | 'events'>,
  options: LiveKpisOptions = {},
) {
  const intervalMs = options.intervalMs ?? 1000
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms))
  const clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as NodeJS.Timeout))
  const knownWards = new Set(deps.city.profile.wards.map((w) => w.code))
  let pendingWards = new Set<string>()
  let pendingSeq = 0
  let dirty = false
  let timer: unknown
  let running: Promise<void> | undefined
  let stopped = false

  const schedule = () => {
    if (timer !== undefined || running || stopped) return
    timer = setTimer(() => {
      timer = undefined
      running = flush().finally(() => {
        running = undefined
        if (dirty) schedule()
      })
    }, intervalMs)
  }

  const flush = async () => {
    const wards = [...pendingWards]
    const seq = pendingSeq
    pendingWards = new Set()
    dirty = false
    try {
      const scopes: Array<{ ward?: string }> = [{}, ...wards.map((ward) => ({ ward }))]
      // Two at a time: a round over every ward must not take the whole pool from ingest requests.
      const results: KpiSet[] = []
      for (let i = 0; i < scopes.length; i += 2) {
        results.push(...(await Promise.all(scopes.slice(i, i + 2).map((scope) => todayKpis(deps, scope)))))
      }
      if (stopped) return
      scopes.forEach((scope, i) => {
        deps.events.emit('kpis.changed', { seq, scope, kpis: results[i]! })
      })
    } catch (error) {
      if (!stopped) log.error({ err: error }, 'recomputing live KPIs failed')
    }
  }

  const onChange = (change: FeedChanged) => {
    for (const ward of change.wards) if (ward !== null && knownWards.has(ward)) pendingWards.add(ward)
    pendingSeq = Math.max(pendingSeq, change.lastSeq)
    dirty = true
    schedule()
  }
  deps.events.on('feed.changed', onChange)

  return {
    /** Stops listening; waits for a recomputation in progress. */
    stop: async () => {
      stopped = true
      deps.events.off('feed.changed', onChange)
      if (timer !== undefined) clearTimer(timer)
      await running
    },
  }
}
