import type { KpiFrame, KpiSet, LiveScope } from '@citydeck/shared'
import { todayWindow } from '@citydeck/shared/time'
import type { AppDeps } from '../context'
import { logger } from '../observability/logger'
import { computeKpis } from './compute'
import { openAggregates } from './open-counts'

const log = logger.child({ module: 'live-kpis' })

/** Today's KPIs (city time zone) for the whole city, one ward or one unit, from the rollups. */
export async function todayKpis(
  deps: Pick<AppDeps, 'sql' | 'city' | 'clock'>,
  scope: { ward?: string; unit?: string },
): Promise<KpiSet> {
  const window = todayWindow(deps.clock(), deps.city.profile.timeZone)
  const filters = { ...(scope.ward ? { ward: scope.ward } : {}), ...(scope.unit ? { unit: scope.unit } : {}) }
  const [kpis] = await computeKpis(deps.sql, [window], filters)
  return kpis!
}

/**
 * What a live `kpis` frame carries for a scope: today's KPIs and the exact open/overdue counts
 * (the wall's choropleth reads these, never its capped ticket list).
 */
export async function liveFrameOf(
  deps: Pick<AppDeps, 'sql' | 'city' | 'clock'>,
  scope: LiveScope,
): Promise<Omit<KpiFrame, 'seq' | 'scope'>> {
  const [kpis, open] = await Promise.all([
    todayKpis(deps, scope),
    openAggregates(deps.sql, scope, deps.clock()),
  ])
  return { kpis, open }
}

/** What a change tells the live KPIs: how far the log has come, and which ward it touched. */
export type NotedChange = { seq: number; wardCode: string | null }

export type LiveKpisOptions = {
  /** The scopes somebody watches now (in this process): only these are ever computed. */
  watched: () => Iterable<LiveScope>
  /** Hands a fresh frame to its watchers. */
  publish: (frame: KpiFrame) => void
  /** Minimum time between two recomputations (ms): a burst becomes a few, never one per item. */
  intervalMs?: number
  setTimer?: (fn: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
  /** A monotonic clock in ms (injected in tests). */
  now?: () => number
}

/**
 * Today's KPIs pushed to live clients, coalesced: it recomputes the city and each touched ward,
 * but only the scopes somebody watches, and publishes each with the highest change-log `seq` it
 * includes. A change after a quiet spell is recomputed at once (a lone new ticket reaches the
 * wall's tiles within a fraction of a second); after that, at most once per `intervalMs`, so a
 * burst becomes a few frames. Every process tails the whole change log, so each computes for its
 * own watchers, whichever process ingested; nobody watching costs nothing. Changes during a
 * recomputation schedule one more, so the last frame always follows the last change.
 */
export function startLiveKpis(deps: Pick<AppDeps, 'sql' | 'city' | 'clock'>, options: LiveKpisOptions) {
  const intervalMs = options.intervalMs ?? 1000
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms))
  const clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as NodeJS.Timeout))
  const now = options.now ?? (() => performance.now())
  let lastRunAt = Number.NEGATIVE_INFINITY
  let touchedWards = new Set<string>()
  let notedSeq = 0
  let dirty = false
  let timer: unknown
  let running: Promise<void> | undefined
  let stopped = false

  const schedule = () => {
    if (timer !== undefined || running || stopped) return
    // A timer even when due now: the changes of the same tick (a batch) join this run.
    const wait = Math.max(0, lastRunAt + intervalMs - now())
    timer = setTimer(() => {
      timer = undefined
      lastRunAt = now()
      running = flush().finally(() => {
        running = undefined
        if (dirty) schedule()
      })
    }, wait)
  }

  const flush = async () => {
    const touched = touchedWards
    const seq = notedSeq
    touchedWards = new Set()
    dirty = false
    const watched = [...options.watched()]
    const scopes: LiveScope[] = []
    if (watched.some((s) => s.ward === undefined)) scopes.push({})
    for (const ward of touched) if (watched.some((s) => s.ward === ward)) scopes.push({ ward })
    try {
      // Two at a time: a round over many wards must not take the whole pool from ingest requests.
      for (let i = 0; i < scopes.length; i += 2) {
        const batch = scopes.slice(i, i + 2)
        const results = await Promise.all(batch.map((scope) => liveFrameOf(deps, scope)))
        if (stopped) return
        for (const [j, scope] of batch.entries()) options.publish({ seq, scope, ...results[j]! })
      }
    } catch (error) {
      if (!stopped) log.error({ err: error }, 'recomputing live KPIs failed')
    }
  }

  return {
    /** Notes changes the live stream delivered (in seq order). */
    noteChanges(changes: readonly NotedChange[]) {
      if (changes.length === 0 || stopped) return
      for (const change of changes) if (change.wardCode !== null) touchedWards.add(change.wardCode)
      notedSeq = Math.max(notedSeq, changes.at(-1)!.seq)
      dirty = true
      schedule()
    },
    /** Stops; waits for a recomputation in progress. */
    stop: async () => {
      stopped = true
      if (timer !== undefined) clearTimer(timer)
      await running
    },
  }
}
