import { setImmediate } from 'node:timers/promises'
import type { FeedName } from '@citydeck/shared'
import { SingleBar } from 'cli-progress'
import type { AppDeps } from '../context'
import { ingestItems } from '../feeds/ingest'
import { logger } from '../observability/logger'
import { DAY, HOUR } from './calendar'
import type { Simulator } from './simulator'

export type BackfillResult = { items: number; rejected: number; seconds: number }

const batchSize = 5_000
/**
 * Items of the last days are stored version by version, so a recent ticket's page shows its
 * way through the units; older months arrive as their final state (a year of every version would
 * make the first start several times slower for timelines nobody opens).
 */
export const versionedHistoryDays = 30
const log = logger.child({ module: 'demo' })

/**
 * Sends the simulated history in (from, to] through `ingestItems`, the same validation and
 * upsert path as the HTTP feeds, in batches per feed, newest hours first (the screens show
 * today while older months load). `catalog` adds the procedure catalog first.
 */
export async function backfill(
  deps: Pick<AppDeps, 'sql' | 'city' | 'events'>,
  simulator: Simulator,
  range: { from: number; to: number },
  options: {
    catalog?: boolean
    /** `bar`: a progress bar on a terminal; `log`: a log line every 10 s (services, pipes). */
    progress?: 'bar' | 'log'
    signal?: AbortSignal
  } = {},
): Promise<BackfillResult> {
  const started = performance.now()
  const result: BackfillResult = { items: 0, rejected: 0, seconds: 0 }
  const send = async (feed: FeedName, items: unknown[]) => {
    const outcome = await ingestItems(deps, feed, items)
    result.items += items.length
    result.rejected += outcome.rejected.length
    if (outcome.rejected.length) {
      const first = outcome.rejected[0]!
      throw new Error(`demo backfill: ${feed} item rejected (${first.field}: ${first.message})`)
    }
  }
  if (options.catalog) await send('procedures', simulator.catalog())

  const progress = { done: 0, total: Math.max(1, Math.ceil((range.to - range.from) / HOUR)) }
  const bar =
    options.progress === 'bar'
      ? new SingleBar({
          format:
            '  demo history [{bar}] {percentage}% | {value}/{total} hours | {items} items | {rate} items/s | ETA {eta_formatted}',
          hideCursor: true,
          etaBuffer: 50,
        })
      : undefined
  bar?.start(progress.total, 0, { items: 0, rate: 0 })
  const buffers: Partial<Record<FeedName, unknown[]>> = {}
  // One batch in flight per feed: while PostgreSQL stores tickets, Node prepares dossiers. Two
  // batches of the same feed at once would contend on the same KPI rollup rows (deadlocks).
  const inFlight: Partial<Record<FeedName, Promise<void>>> = {}
  const enqueue = async (feed: FeedName, items: unknown[]) => {
    await inFlight[feed]
    inFlight[feed] = quiet(send(feed, items))
  }
  try {
    const hours = simulator.changesBySlot(range.from, range.to, {
      newestFirst: true,
      versionsSince: range.to - versionedHistoryDays * DAY,
    })
    let yielded = performance.now()
    let logged = performance.now()
    for (const { slot, items } of hours) {
      if (options.signal?.aborted) break
      // Progress in hours of the window, newest first (older hours are only looked back at).
      progress.done = Math.min(progress.total, Math.max(0, Math.floor(range.to / HOUR) - slot))
      // Generating is synchronous: let the server answer requests every few tens of milliseconds.
      if (performance.now() - yielded > 30) {
        await setImmediate()
        yielded = performance.now()
      }
      for (const { feed, item } of items) {
        const buffer = buffers[feed] ?? []
        buffers[feed] = buffer
        buffer.push(item)
        if (buffer.length >= batchSize) {
          buffers[feed] = []
          await enqueue(feed, buffer)
          const seconds = (performance.now() - started) / 1000
          const rate = Math.round(result.items / seconds)
          bar?.update(progress.done, { items: result.items, rate })
          if (options.progress === 'log' && performance.now() - logged > 10_000) {
            logged = performance.now()
            log.info(
              { hours: progress.done, of: progress.total, items: result.items, rate },
              'loading history',
            )
          }
        }
      }
    }
    // Stopped early: the next start sends the whole history again, so the rest can wait.
    for (const [feed, buffer] of Object.entries(buffers) as Array<[FeedName, unknown[]]>) {
      if (buffer.length && !options.signal?.aborted) await enqueue(feed, buffer)
    }
    await Promise.all(Object.values(inFlight))
    bar?.update(progress.total, {
      items: result.items,
      rate: Math.round(result.items / ((performance.now() - started) / 1000)),
    })
  } finally {
    await Promise.allSettled(Object.values(inFlight))
    bar?.stop()
  }
  result.seconds = (performance.now() - started) / 1000
  return result
}

/** Marks a promise as handled while it waits in the queue; awaiting it still throws. */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {})
  return promise
}
