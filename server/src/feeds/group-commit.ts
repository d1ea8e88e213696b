import { logger } from '../observability/logger'
import { type IngestDeps, type StoreResult, type Submission, storeGroup } from './ingest'

const log = logger.child({ module: 'ingest' })

/** At most this many items go into one group transaction; the rest wait for the next. */
const maxGroupItems = 2_000

type Waiting = Submission & { resolve: (r: StoreResult) => void; reject: (e: unknown) => void }
type Committer = { queue: Waiting[]; running: boolean }

const committers = new WeakMap<object, Committer>()

/**
 * Group commit for small requests (single items, short batches): a request's items are stored
 * together with those of every other request that arrived while the previous group was being
 * written, in ONE transaction: one change-log lock, one commit (one WAL flush) for all. No
 * request waits for a timer: an idle committer writes at once, so a lone request costs what it
 * did alone; under load the groups grow with the arrival rate. Each request still learns its
 * own counts and gets its answer only after the commit that made its items durable.
 *
 * When a group's transaction fails (other than a deadlock, retried as a whole), its requests
 * are written again one by one, so one request's database error fails only that request.
 */
export function storeGrouped(deps: IngestDeps, submission: Submission): Promise<StoreResult> {
  if (submission.items.length === 0) {
    return Promise.resolve({ created: 0, updated: 0, ignored: 0, lastSeq: null })
  }
  let c = committers.get(deps.sql)
  if (!c) {
    c = { queue: [], running: false }
    committers.set(deps.sql, c)
  }
  const committer = c
  return new Promise<StoreResult>((resolve, reject) => {
    committer.queue.push({ ...submission, resolve, reject })
    if (!committer.running) {
      committer.running = true
      void drain(deps, committer)
    }
  })
}

async function drain(deps: IngestDeps, c: Committer) {
  try {
    while (c.queue.length > 0) {
      let items = 0
      let take = 0
      while (take < c.queue.length && (take === 0 || items + c.queue[take]!.items.length <= maxGroupItems)) {
        items += c.queue[take]!.items.length
        take++
      }
      const group = c.queue.splice(0, take)
      try {
        const results = await storeGroup(deps, group)
        for (const [i, w] of group.entries()) w.resolve(results[i]!)
      } catch (error) {
        if (group.length === 1) {
          group[0]!.reject(error)
          continue
        }
        log.warn(
          { err: error, requests: group.length },
          'group commit failed: writing its requests one by one',
        )
        for (const w of group) {
          try {
            const [result] = await storeGroup(deps, [w])
            w.resolve(result!)
          } catch (own) {
            w.reject(own)
          }
        }
      }
    }
  } finally {
    c.running = false
  }
}
