import type { FeedName } from '@citydeck/shared'
import type { AppDeps } from '../context'
import { logger } from '../observability/logger'
import { type Normalized, normalizeItem, type Rejection, type Warning } from './normalize'
import { appendChanges, type ChangeEntry, upsertByFeed } from './upsert.sql'
import { createWardLocator, type WardLocator } from './wards'

export type { Normalized, Rejection, Warning } from './normalize'

/** DESIGN §2 response counts; `ignored` are stale (or identical) repeats of a stored version. */
export type IngestResult = {
  created: number
  updated: number
  ignored: number
  rejected: Rejection[]
  warnings: Warning[]
  /** The change-log seq of the last accepted change, or null when nothing changed. */
  lastSeq: number | null
}

export type IngestDeps = Pick<AppDeps, 'sql' | 'city' | 'events'>

const locators = new WeakMap<object, WardLocator>()
const log = logger.child({ module: 'ingest' })
/** Rows per statement: large enough to amortise round trips, small enough for short row locks. */
const chunkSize = 2000

/**
 * The one path by which feed items are stored, for HTTP feeds, CSV import, Open311 and the demo
 * backfill alike: validate each item, derive its fields, upsert by (source, ref) ignoring stale
 * versions, and append every accepted change to the change log in the same transaction.
 * A rejected item leaves no trace; the good items of a batch are stored.
 */
export async function ingestItems(
  deps: IngestDeps,
  feed: FeedName,
  items: readonly unknown[],
  options: { source?: string } = {},
): Promise<IngestResult> {
  const prepared = prepareItems(deps, feed, items, options)
  const stored = await storePrepared(deps, feed, prepared.accepted)
  return { ...stored, rejected: prepared.rejected, warnings: prepared.warnings }
}

/** Items checked and derived, ready to store; rejections and warnings indexed from `firstIndex`. */
export type Prepared = { accepted: Normalized[]; rejected: Rejection[]; warnings: Warning[] }

/**
 * The first half of ingest, without touching the database: validate and derive each item.
 * Streaming callers (HTTP batches, CSV import) prepare items as they arrive and store later.
 */
export function prepareItems(
  deps: Pick<IngestDeps, 'city'>,
  feed: FeedName,
  items: readonly unknown[],
  options: { source?: string; firstIndex?: number } = {},
): Prepared {
  let locateWard = locators.get(deps.city)
  if (!locateWard) {
    locateWard = createWardLocator(deps.city.wards)
    locators.set(deps.city, locateWard)
  }
  const prepared: Prepared = { accepted: [], rejected: [], warnings: [] }
  const first = options.firstIndex ?? 0
  items.forEach((raw, i) => {
    const index = first + i
    const outcome = normalizeItem(feed, raw, {
      profile: deps.city.profile,
      locateWard,
      source: options.source,
    })
    if (!outcome.ok) {
      prepared.rejected.push({ index, ...outcome.rejection })
      return
    }
    if (outcome.warning) prepared.warnings.push({ index, ...outcome.warning })
    prepared.accepted.push(outcome.value)
  })
  return prepared
}

export type StoreResult = Pick<IngestResult, 'created' | 'updated' | 'ignored' | 'lastSeq'>

/**
 * The second half of ingest: upsert prepared items by (source, ref) in one transaction,
 * ignoring stale versions, append the accepted changes to the change log, announce them.
 */
export async function storePrepared(
  deps: IngestDeps,
  feed: FeedName,
  accepted: readonly Normalized[],
): Promise<StoreResult> {
  const result: StoreResult = { created: 0, updated: 0, ignored: 0, lastSeq: null }
  if (accepted.length === 0) return result

  const rounds = inDeliveryRounds(accepted)
  const { changes, created, updated, lastSeq } = await withDeadlockRetry(() =>
    deps.sql.begin(async (tx) => {
      const changes: ChangeEntry[] = []
      let created = 0
      let updated = 0
      for (const round of rounds) {
        for (let i = 0; i < round.length; i += chunkSize) {
          const chunk = round.slice(i, i + chunkSize)
          const written = await upsertByFeed[feed](tx as never, chunk)
          const byKey = new Map(chunk.map((n) => [key(n), n]))
          for (const w of written) {
            const n = byKey.get(key(w))!
            if (w.created) created++
            else updated++
            changes.push({
              feed,
              source: n.source,
              ref: n.ref,
              op: w.created ? 'created' : 'updated',
              ward_code: n.wardCode,
              item: n.item,
            })
          }
        }
      }
      const lastSeq = changes.length ? await appendChanges(tx as never, changes) : null
      return { changes, created, updated, lastSeq }
    }),
  )
  result.lastSeq = lastSeq
  result.created = created
  result.updated = updated
  result.ignored = accepted.length - created - updated
  if (changes.length && lastSeq !== null) {
    deps.events.emit('feed.changed', {
      feed,
      lastSeq,
      count: changes.length,
      wards: [...new Set(changes.map((c) => c.ward_code))],
    })
  }
  return result
}

const key = (item: { source: string; ref: string }) => `${item.source}\u0000${item.ref}`

/**
 * One statement cannot touch a row twice, so repeats of an item within a request go into later
 * rounds, in delivery order. Each round is sorted by key so concurrent requests lock rows in
 * the same order.
 */
function inDeliveryRounds(items: readonly Normalized[]): Normalized[][] {
  const seen = new Map<string, number>()
  const rounds: Normalized[][] = []
  for (const item of items) {
    const k = key(item)
    const round = seen.get(k) ?? 0
    seen.set(k, round + 1)
    if (!rounds[round]) rounds[round] = []
    rounds[round].push(item)
  }
  for (const round of rounds) round.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
  return rounds
}

/** Two requests repeating items in different orders can still deadlock; PostgreSQL picks a loser, which retries. */
async function withDeadlockRetry<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work()
    } catch (error) {
      const code = (error as { code?: string }).code
      if ((code !== '40P01' && code !== '40001') || attempt >= attempts) throw error
      log.warn({ attempt, code }, 'ingest transaction retried after a deadlock')
    }
  }
}
