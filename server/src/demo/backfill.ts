import type { FeedName } from '@citydeck/shared'
import { SingleBar } from 'cli-progress'
import type { AppDeps } from '../context'
import { ingestItems } from '../feeds/ingest'
import type { Simulator } from './simulator'

export type BackfillResult = { items: number; rejected: number; seconds: number }

const batchSize = 5_000
/** Batches in flight: while PostgreSQL stores one, Node validates the next (2 cores). */
const inFlight = 2

/**
 * Sends the simulated history in (from, to] through `ingestItems`, the same validation and
 * upsert path as the HTTP feeds, in batches per feed, newest hours first (the screens show
 * today while older months load). `catalog` adds the procedure catalog first.
 */
export async function backfill(
  deps: Pick<AppDeps, 'sql' | 'city' | 'events'>,
  simulator: Simulator,
  range: { from: number; to: number },
  options: { catalog?: boolean; progress?: boolean; signal?: AbortSignal } = {},
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

  let progress = { done: 0, total: 1 }
  const bar = options.progress
    ? new SingleBar({
        format:
          '  demo history [{bar}] {percentage}% | {value}/{total} hours | {items} items | {rate} items/s | ETA {eta_formatted}',
        hideCursor: true,
        etaBuffer: 50,
      })
    : undefined
  bar?.start(1, 0, { items: 0, rate: 0 })
  const buffers: Partial<Record<FeedName, unknown[]>> = {}
  const pending: Promise<void>[] = []
  try {
    const changes = simulator.changes(range.from, range.to, {
      newestFirst: true,
      onSlot: (done, total) => {
        progress = { done, total }
      },
    })
    for (const { feed, item } of changes) {
      if (options.signal?.aborted) break
      const buffer = buffers[feed] ?? []
      buffers[feed] = buffer
      buffer.push(item)
      if (buffer.length >= batchSize) {
        buffers[feed] = []
        pending.push(quiet(send(feed, buffer)))
        if (pending.length >= inFlight) await pending.shift()
        const seconds = (performance.now() - started) / 1000
        bar?.setTotal(progress.total)
        bar?.update(progress.done, { items: result.items, rate: Math.round(result.items / seconds) })
      }
    }
    for (const [feed, buffer] of Object.entries(buffers) as Array<[FeedName, unknown[]]>) {
      if (buffer.length) pending.push(quiet(send(feed, buffer)))
    }
    await Promise.all(pending.splice(0))
    bar?.update(progress.total, {
      items: result.items,
      rate: Math.round(result.items / ((performance.now() - started) / 1000)),
    })
  } finally {
    await Promise.allSettled(pending)
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
