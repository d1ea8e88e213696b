import type { AppDeps } from '../context'
import { logger } from '../observability/logger'
import { settlesWithin } from '../settles-within'
import { type BackfillResult, backfill } from './backfill'
import { DAY } from './calendar'
import { dossierLookbackDays } from './dossiers'
import { LiveFeed } from './live'
import { loadDemoProfile } from './params'
import { type DemoRun, Simulator } from './simulator'
import { demoStore } from './state.sql'
import { type DemoTokens, ensureDemoTokens } from './tokens'

const log = logger.child({ module: 'demo' })
/** How long a stop waits for the demo's work in flight before the database closes under it. */
const stopWaitMs = 2_000

export type RunningDemo = {
  tokens: DemoTokens
  /** Resolves when the history (first start) or the gap since the last run (later starts) is stored. */
  history: Promise<BackfillResult | null>
  /** Days of history this start stores in the background (0: nothing missing). */
  historyDays: number
  /** Sends one live tick now (by the injected clock); the timer calls it every `tickSeconds`. */
  tick: () => Promise<void>
  stop: () => Promise<void>
}

/** `DEMO_RATE`: a positive multiplier, or `storm` (a typhoon hour, then the normal live rate). */
export function parseDemoRate(value: string): { rate: number; storm: boolean } {
  if (value === 'storm') return { rate: 1, storm: true }
  return { rate: Number(value), storm: false }
}

/**
 * The demo city (docs/design.md §7): on the first start, a year of history through the ingest path;
 * on later starts, only the gap since the last run; then a live feed through the public HTTP
 * ingest API every few seconds. Runs beside the server, which answers meanwhile.
 */
export async function startDemo(
  deps: AppDeps,
  /** `progress`: draw a progress bar (stdout is a terminal); otherwise progress is logged. */
  options: { url: string; progress?: boolean },
): Promise<RunningDemo> {
  const { config, sql, city } = deps
  const demo = loadDemoProfile(config)
  const { params } = demo
  const profile = city.profile.id
  const now = deps.clock().getTime()
  const tokens = await ensureDemoTokens(sql, config.DATA_DIR, Object.values(params.sources))

  const store = demoStore(sql, profile)
  const state = await store.loadOrCreate(config.DEMO_SEED, new Date(now - params.historyDays * DAY))
  if (state.seed !== config.DEMO_SEED) {
    log.warn(
      { stored: state.seed, seed: config.DEMO_SEED },
      'DEMO_SEED differs from the stored history; continuing with the new seed',
    )
  }
  const epoch = state.epoch.getTime()
  const reached = state.reachedAt?.getTime() ?? null
  const current: DemoRun = { from: now, to: null, ...parseDemoRate(config.DEMO_RATE) }
  const earlierRuns = await store.runsSince(new Date(now - (dossierLookbackDays + 2) * DAY))
  const runId = await store.startRun(current)
  const simulator = new Simulator(city, demo, {
    seed: config.DEMO_SEED,
    epoch,
    runs: [...earlierRuns, current],
  })

  // First start: the whole history; later: what happened while the demo was not running, and
  // at least this run's busier days before it (already stored items are ignored, cheaply).
  const busySince = simulator.liveWindow(current)[0]
  const from =
    reached === null ? epoch : Math.max(Math.min(reached, busySince), now - params.historyDays * DAY)
  const abort = new AbortController()
  const history = (async () => {
    if (from >= now) return null
    log.info({ from: new Date(from), to: new Date(now), first: reached === null }, 'loading history')
    const result = await backfill(
      deps,
      simulator,
      { from, to: now },
      {
        catalog: reached === null,
        progress: options.progress ? 'bar' : 'log',
        signal: abort.signal,
      },
    )
    if (abort.signal.aborted) return result
    await store.markReached(new Date(now))
    log.info(result, 'history loaded')
    return result
  })()
  let historyDone = false
  history.then(
    () => {
      historyDone = true
    },
    (error) => {
      if (!abort.signal.aborted) log.error({ err: error }, 'loading history failed')
    },
  )

  const live = new LiveFeed(simulator, { url: options.url, tokens, from: now })
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let stopped = false
  const tick = async () => {
    const at = deps.clock().getTime()
    try {
      const sent = await live.tick(at)
      log.debug(sent, 'live tick')
      await store.runReached(runId, new Date(at))
      if (historyDone) await store.markReached(new Date(at))
    } catch {
      // LiveFeed logged it; the next tick resends the same window.
    }
  }
  const schedule = () => {
    if (stopped) return
    timer = setTimeout(() => {
      running = tick().finally(schedule)
    }, params.live.tickSeconds * 1000)
  }
  schedule()
  log.info(
    { rate: config.DEMO_RATE, seed: config.DEMO_SEED, tickSeconds: params.live.tickSeconds },
    'live feed started',
  )

  return {
    tokens,
    history,
    historyDays: Math.max(0, (now - (reached ?? from)) / DAY),
    tick: async () => {
      await running
      running = tick()
      await running
    },
    stop: async () => {
      stopped = true
      abort.abort()
      clearTimeout(timer)
      // A history batch or a tick in flight is one ingest transaction each: waiting for it could
      // take the shutdown's whole budget on a busy machine (docs/design.md §11). Cut short, it is
      // rolled back when the database closes, and the next start sends it again.
      await settlesWithin(Promise.allSettled([running, history]), stopWaitMs)
    },
  }
}
