import type { FeedName } from '@citydeck/shared'
import { announceAppended } from '../changelog/appended'
import type { AppDeps } from '../context'
import { settlesWithin } from '../settles-within'
import { isDeadlock, withDeadlockRetry } from './deadlock'
import { type StoreResult, storeGrouped } from './group-commit'
import type { Normalized } from './normalize'
import { fitsOneStatement, StagedWrite, type WriteOutcome, writeInOneStatement, writeStaged } from './write'

export type { StoreResult } from './group-commit'

type Deps = Pick<AppDeps, 'sql' | 'events'>

/** Requests with at most this many items are written by group commit. */
export const groupCommitItems = 100
/** A stream opens its transaction once this many accepted items are ready. */
const streamOpenItems = 1_000
/**
 * Streamed batches that may hold a transaction (and with it a pool connection) open while
 * their bodies arrive; more stream into memory and are written once complete, so uploads can
 * never take the whole pool.
 */
const streamShare = 4
/** Longest wait for a stream's next chunk while its transaction is open (see store). */
const defaultStreamWaitMs = 2_000

const openStreams = new WeakMap<object, number>()

/** Accepted items of one request: all at hand, or a stream of chunks still arriving. */
export type StoreInput = readonly Normalized[] | AsyncIterable<readonly Normalized[]>

/**
 * Stores one request's accepted items of one feed durably: upserted by (source, ref), stale
 * versions ignored, every accepted change appended to the change log in the same transaction.
 * The one place that chooses how:
 * - a few items (≤ groupCommitItems): group commit, sharing a transaction with concurrent requests;
 * - up to one statement's worth without repeats: one statement that upserts and appends;
 * - more: one transaction writing statement by statement into a change stage, appended at commit;
 * - a stream: like "more", written while it still arrives, once `streamOpenItems` are ready.
 *   A stream that throws stores nothing. A transaction never waits more than `streamWaitMs` for
 *   the client: past it (a slow upload), it is rolled back, freeing its connection and row
 *   locks, and the rest of the stream is buffered and written once complete.
 */
export async function store(
  deps: Deps,
  feed: FeedName,
  input: StoreInput,
  options: { streamWaitMs?: number } = {},
): Promise<StoreResult> {
  const result = await storeOnce(deps, feed, input, options)
  deps.events.emit('feed.stored', {
    feed,
    created: result.created,
    updated: result.updated,
    ignored: result.ignored,
  })
  return result
}

function storeOnce(
  deps: Deps,
  feed: FeedName,
  input: StoreInput,
  options: { streamWaitMs?: number },
): Promise<StoreResult> {
  if (Symbol.asyncIterator in input) return storeStream(deps, feed, input, options.streamWaitMs)
  if (input.length === 0) return Promise.resolve({ created: 0, updated: 0, ignored: 0, lastSeq: null })
  if (input.length <= groupCommitItems) return storeGrouped(deps, feed, input)
  return withDeadlockRetry(() => writeAtOnce(deps, feed, input)).then((outcome) => counted(deps, outcome))
}

function writeAtOnce(deps: Deps, feed: FeedName, items: readonly Normalized[]): Promise<WriteOutcome> {
  return fitsOneStatement(items)
    ? writeInOneStatement(deps.sql, feed, items)
    : writeStaged(deps.sql, feed, items)
}

async function storeStream(
  deps: Deps,
  feed: FeedName,
  stream: AsyncIterable<readonly Normalized[]>,
  waitMs = defaultStreamWaitMs,
): Promise<StoreResult> {
  const all: Normalized[] = []
  let write: StagedWrite | null = null
  let mayOpen = true
  const close = async (how: 'rollback' | 'commit') => {
    const open = write!
    write = null
    openStreams.set(deps.sql, (openStreams.get(deps.sql) ?? 1) - 1)
    return how === 'commit' ? open.commit() : open.rollback().then(() => null)
  }
  const chunks = stream[Symbol.asyncIterator]()
  try {
    for (;;) {
      const next = chunks.next()
      if (write && (await settlesWithin(next, waitMs)) === 'late') {
        mayOpen = false
        await close('rollback')
      }
      const { done, value } = await next
      if (done) break
      for (const item of value) all.push(item)
      if (write) {
        write.write(value)
      } else if (mayOpen && all.length >= streamOpenItems && (openStreams.get(deps.sql) ?? 0) < streamShare) {
        openStreams.set(deps.sql, (openStreams.get(deps.sql) ?? 0) + 1)
        write = new StagedWrite(deps.sql, feed)
        write.write(all.slice())
      }
    }
  } catch (error) {
    if (write) await close('rollback')
    throw error
  }
  if (!write) return storeOnce(deps, feed, all, {})
  try {
    return counted(deps, (await close('commit'))!)
  } catch (error) {
    // Another writer locked some of the same rows in another order while this body streamed
    // in: the transaction was rolled back; write the whole batch again, in key order.
    if (isDeadlock(error)) return storeOnce(deps, feed, all, {})
    throw error
  }
}

/** Announces a committed write and counts its outcome. */
function counted(deps: Deps, outcome: WriteOutcome): StoreResult {
  announceAppended(deps.events, outcome.lastSeq)
  const result: StoreResult = { created: 0, updated: 0, ignored: 0, lastSeq: outcome.lastSeq }
  for (const op of outcome.ops) result[op]++
  return result
}
