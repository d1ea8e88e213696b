import type { FeedName } from '@citydeck/shared'
import type { AppDeps } from '../context'
import type { Sql } from '../db/connection'
import { logger } from '../observability/logger'
import { storeGrouped } from './group-commit'
import { type Normalized, normalizeItem, type Rejection, type Warning } from './normalize'
import { StreamingTransaction } from './stream-tx'
import {
  appendChanges,
  type ChangeEntry,
  type Staged,
  upsertAndLog,
  upsertAndStage,
  upsertItems,
} from './upsert.sql'
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
/** Requests with at most this many items to store are written by group commit (group-commit.ts). */
export const groupCommitItems = 100
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
  const stored =
    prepared.accepted.length <= groupCommitItems
      ? await storeGrouped(deps, { feed, items: prepared.accepted })
      : await storePrepared(deps, feed, prepared.accepted)
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
  if (accepted.length === 0) return { created: 0, updated: 0, ignored: 0, lastSeq: null }
  if (accepted.length <= chunkSize) {
    // One statement's worth (a CSV chunk, a short batch): upserted and logged in one statement.
    const [result] = await storeGroup(deps, [{ feed, items: accepted }])
    return result!
  }
  // More: the transaction a streamed batch writes into (its change stage is a temporary table,
  // worth its catalog churn only for large batches).
  return withDeadlockRetry(() => new StreamingTransaction(deps, feed).commit(accepted))
}

/** Items of one request, to be stored together with other requests' in one transaction. */
export type Submission = { feed: FeedName; items: readonly Normalized[] }

/**
 * Stores several requests' items in ONE transaction (one change-log lock, one commit) and
 * tells each its own counts. Repeats of an item across requests are applied in submission
 * order, as repeats within one request are.
 */
export async function storeGroup(deps: IngestDeps, group: readonly Submission[]): Promise<StoreResult[]> {
  const { outcomes, lastSeq } = await withDeadlockRetry(() => writeGroup(deps, group))
  announceGroup(deps, group, outcomes, lastSeq)
  return outcomes.map((ops) => {
    const result: StoreResult = { created: 0, updated: 0, ignored: 0, lastSeq }
    for (const op of ops) result[op]++
    return result
  })
}

async function writeGroup(deps: IngestDeps, group: readonly Submission[]) {
  const outcomes = group.map((s) => new Array<Op>(s.items.length).fill('ignored'))
  const feed = group[0]!.feed
  const items: Tagged[] = []
  for (const [si, s] of group.entries()) {
    for (const [ii, n] of s.items.entries()) items.push({ n, key: key(n), at: [si, ii] })
  }
  if (group.every((s) => s.feed === feed) && items.length <= chunkSize) {
    const rounds = inDeliveryRounds(items)
    if (rounds.length === 1) {
      // The common case of group commit: one statement, committed on its own.
      const round = rounds[0]!
      const { written, lastSeq } = await upsertAndLog(
        deps.sql,
        feed,
        round.map((t) => t.n),
      )
      const byKey = new Map(round.map((t) => [t.key, t]))
      for (const w of written) {
        const t = byKey.get(key(w))!
        outcomes[t.at[0]]![t.at[1]] = w.created ? 'created' : 'updated'
      }
      return { outcomes, lastSeq }
    }
  }
  return writeGroupInTransaction(deps, group)
}

async function writeGroupInTransaction(deps: IngestDeps, group: readonly Submission[]) {
  return await (deps.sql.begin(async (tx) => {
    const outcomes = group.map((s) => new Array<Op>(s.items.length).fill('ignored'))
    const changes: ChangeEntry[] = []
    for (const feed of new Set(group.map((s) => s.feed))) {
      const items: Tagged[] = []
      group.forEach((s, si) => {
        if (s.feed !== feed) return
        s.items.forEach((n, ii) => {
          items.push({ n, key: key(n), at: [si, ii] })
        })
      })
      await upsertTagged(tx as never, feed, items, (t, op) => {
        outcomes[t.at[0]]![t.at[1]] = op
        changes.push({ feed, created: op === 'created', json: t.n.json })
      })
    }
    const lastSeq = changes.length ? await appendChanges(tx as never, changes) : null
    return { outcomes, lastSeq }
  }) as Promise<{ outcomes: Op[][]; lastSeq: number | null }>)
}

/** Emits `feed.changed` once per feed with accepted changes. */
function announceGroup(
  deps: IngestDeps,
  group: readonly Submission[],
  outcomes: readonly Op[][],
  lastSeq: number | null,
) {
  if (lastSeq === null) return
  const byFeed = new Map<FeedName, Changed>()
  group.forEach((s, si) => {
    s.items.forEach((n, ii) => {
      if (outcomes[si]![ii] === 'ignored') return
      let entry = byFeed.get(s.feed)
      if (!entry) {
        entry = { count: 0, wards: new Set() }
        byFeed.set(s.feed, entry)
      }
      entry.count++
      entry.wards.add(n.wardCode)
    })
  })
  for (const [feed, changed] of byFeed) announce(deps, feed, changed, lastSeq)
}

/** What one feed's committed changes touched. */
export type Changed = { count: number; wards: Set<string | null> }

export function announce(deps: IngestDeps, feed: FeedName, changed: Changed, lastSeq: number | null) {
  if (lastSeq === null || changed.count === 0) return
  deps.events.emit('feed.changed', { feed, lastSeq, count: changed.count, wards: [...changed.wards] })
}

export type Op = 'created' | 'updated' | 'ignored'
/** An item with its key and where it came from (submission, index). */
export type Tagged = { n: Normalized; key: string; at: [number, number] }

/**
 * Upserts tagged items of one feed in delivery rounds and chunks (see statementChunks),
 * calling `onWritten` for each item that was created or updated, in change-log order.
 */
export async function upsertTagged(
  tx: Sql,
  feed: FeedName,
  tagged: readonly Tagged[],
  onWritten: (t: Tagged, op: 'created' | 'updated') => void,
): Promise<void> {
  for (const chunk of statementChunks(tagged)) {
    const written = await upsertItems(
      tx,
      feed,
      chunk.map((t) => t.n),
    )
    if (written.length === 0) continue
    const byKey = new Map(chunk.map((t) => [t.key, t]))
    for (const w of written) onWritten(byKey.get(key(w))!, w.created ? 'created' : 'updated')
  }
}

/**
 * Upserts items of one feed in delivery rounds and chunks (see statementChunks) and stages
 * their accepted changes in the transaction's change stage (createChangeStage), numbered from
 * `firstOrd` in change-log order. Returns the counts, the wards touched and the next number.
 */
export async function upsertStaged(
  tx: Sql,
  feed: FeedName,
  items: readonly Normalized[],
  firstOrd: number,
): Promise<Staged & { nextOrd: number }> {
  const result: Staged & { nextOrd: number } = { created: 0, updated: 0, wards: [], nextOrd: firstOrd }
  for (const chunk of statementChunks(tagged(items))) {
    const staged = await upsertAndStage(
      tx,
      feed,
      chunk.map((t) => t.n),
      result.nextOrd,
    )
    result.created += staged.created
    result.updated += staged.updated
    result.wards.push(...staged.wards)
    result.nextOrd += chunk.length
  }
  return result
}

/** One statement per delivery round (see inDeliveryRounds) and per chunkSize rows of it. */
function* statementChunks(items: readonly Tagged[]): Generator<Tagged[]> {
  for (const round of inDeliveryRounds(items)) {
    for (let i = 0; i < round.length; i += chunkSize) yield round.slice(i, i + chunkSize)
  }
}

const key = (item: { source: string; ref: string }) => `${item.source}\u0000${item.ref}`

/** Tags the items of one request. */
const tagged = (items: readonly Normalized[]): Tagged[] =>
  items.map((n, i) => ({ n, key: key(n), at: [0, i] }))

/**
 * One statement cannot touch a row twice, so repeats of an item go into later rounds, in
 * delivery order. Each round is sorted by key so concurrent requests lock rows in the same order.
 */
function inDeliveryRounds(items: readonly Tagged[]): Tagged[][] {
  const seen = new Map<string, number>()
  const rounds: Tagged[][] = []
  for (const item of items) {
    const round = seen.get(item.key) ?? 0
    seen.set(item.key, round + 1)
    if (!rounds[round]) rounds[round] = []
    rounds[round].push(item)
  }
  for (const round of rounds) round.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return rounds
}

/** Two requests repeating items in different orders can still deadlock; PostgreSQL picks a loser, which retries. */
export async function withDeadlockRetry<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work()
    } catch (error) {
      if (!isDeadlock(error) || attempt >= attempts) throw error
      log.warn(
        { attempt, code: (error as { code?: string }).code },
        'ingest transaction retried after a deadlock',
      )
    }
  }
}

export const isDeadlock = (error: unknown) => {
  const code = (error as { code?: string } | null)?.code
  return code === '40P01' || code === '40001'
}
