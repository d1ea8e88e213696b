import type { FeedName } from '@citydeck/shared'
import { announceAppended } from '../changelog/appended'
import type { AppDeps } from '../context'
import { logger } from '../observability/logger'
import { withDeadlockRetry } from './deadlock'
import type { Normalized } from './normalize'
import { fitsOneStatement, writeInOneStatement, writeStaged } from './write'

const log = logger.child({ module: 'ingest' })

/** At most this many items go into one group; the rest wait for the next. */
const maxGroupItems = 2_000

export type StoreResult = { created: number; updated: number; ignored: number; lastSeq: number | null }
type Waiting = {
  feed: FeedName
  items: readonly Normalized[]
  resolve: (r: StoreResult) => void
  reject: (e: unknown) => void
}
type Committer = { queue: Waiting[]; running: boolean }
type Deps = Pick<AppDeps, 'sql' | 'events'>

const committers = new WeakMap<object, Committer>()

/**
 * Group commit for small requests (single items, short batches): a request's items are stored
 * together with those of the other requests of its feed that arrived while the previous group
 * was being written, in ONE transaction: one change-log lock, one commit (one WAL flush) for
 * all. No request waits for a timer: an idle committer writes at once, so a lone request costs
 * what it did alone; under load the groups grow with the arrival rate. Each request learns its
 * own counts and gets its answer only after the commit that made its items durable.
 *
 * When a group's transaction fails (other than a deadlock, retried as a whole), its requests
 * are written again one by one, so one request's database error fails only that request.
 */
export function storeGrouped(deps: Deps, feed: FeedName, items: readonly Normalized[]): Promise<StoreResult> {
  let committer = committers.get(deps.sql)
  if (!committer) {
    committer = { queue: [], running: false }
    committers.set(deps.sql, committer)
  }
  const c = committer
  return new Promise<StoreResult>((resolve, reject) => {
    c.queue.push({ feed, items, resolve, reject })
    if (!c.running) {
      c.running = true
      void drain(deps, c)
    }
  })
}

async function drain(deps: Deps, c: Committer) {
  try {
    while (c.queue.length > 0) {
      let items = 0
      let take = 0
      while (take < c.queue.length && (take === 0 || items + c.queue[take]!.items.length <= maxGroupItems)) {
        items += c.queue[take]!.items.length
        take++
      }
      const taken = c.queue.splice(0, take)
      // One transaction per feed: a request is one feed's, so none is split.
      for (const feed of new Set(taken.map((w) => w.feed))) {
        await commitGroup(
          deps,
          feed,
          taken.filter((w) => w.feed === feed),
        )
      }
    }
  } finally {
    c.running = false
  }
}

async function commitGroup(deps: Deps, feed: FeedName, group: Waiting[]) {
  try {
    const results = await writeGroup(deps, feed, group)
    for (const [i, w] of group.entries()) w.resolve(results[i]!)
  } catch (error) {
    if (group.length === 1) {
      group[0]!.reject(error)
      return
    }
    log.warn({ err: error, requests: group.length }, 'group commit failed: writing its requests one by one')
    for (const w of group) {
      try {
        const [result] = await writeGroup(deps, feed, [w])
        w.resolve(result!)
      } catch (own) {
        w.reject(own)
      }
    }
  }
}

/** Writes the requests' items in one transaction (in request order) and tells each its counts. */
async function writeGroup(deps: Deps, feed: FeedName, group: readonly Waiting[]): Promise<StoreResult[]> {
  const items = group.flatMap((w) => w.items)
  const { ops, lastSeq } = await withDeadlockRetry(() =>
    fitsOneStatement(items) ? writeInOneStatement(deps.sql, feed, items) : writeStaged(deps.sql, feed, items),
  )
  announceAppended(deps.events, lastSeq)
  let at = 0
  return group.map((w) => {
    const result: StoreResult = { created: 0, updated: 0, ignored: 0, lastSeq }
    for (const op of ops.slice(at, at + w.items.length)) result[op]++
    at += w.items.length
    return result
  })
}
