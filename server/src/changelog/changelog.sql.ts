import type { Change, FeedName } from '@citydeck/shared'
import type { Fragment, Queryable, Sql } from '../db/connection'

// The change log: every accepted create/update of a feed item, numbered by `seq` (docs/design.md §4).
// This module is its one owner: feeds append to it, the live stream reads it, retention prunes
// it. Appends hold `appendLock` to commit, so seq order is commit order: a reader that saw seq N
// never later finds an N-1 appear.

/** A change-log row as the live stream reads it: the change on the wire, and what routes it. */
export type ChangeRow = Change & {
  source: string
  ref: string
  op: 'created' | 'updated'
  wardCode: string | null
}

/** The change as it goes out (docs/design.md §4). */
export function toChange(row: ChangeRow): Change {
  const { source: _source, ref: _ref, op: _op, wardCode: _ward, ...change } = row
  return change
}

/** The advisory lock every append holds until its commit. */
const appendLock = (sql: Queryable) => sql`pg_advisory_xact_lock(hashtext('citydeck:change_log'))`

/**
 * Appending inside the statement that produced the changes. The caller's statement defines a
 * CTE `accepted (source, ref, op, ward_code, item, ord)`; these CTEs follow it, add its rows to
 * the log in `ord` order and expose `added (seq)`. The lock is taken only once `accepted` is
 * complete (it waits for its count), so the statement never holds the lock while waiting for
 * another writer's row locks; it is held, as every append's, until the commit.
 */
export function appendAcceptedCtes(sql: Queryable, feed: FeedName): Fragment {
  return sql`
    locked as (select ${appendLock(sql)} from (select count(*) from accepted) as n),
    added as (
      insert into change_log (feed, source, ref, op, ward_code, item)
      select ${feed}::text, a.source, a.ref, a.op, a.ward_code, a.item
      from accepted a cross join locked
      order by a.ord
      returning seq)`
}

/**
 * A transaction that writes in several statements (a streamed batch, a batch of several
 * delivery rounds) keeps its accepted changes in a stage until its commit appends them
 * (appendStaged): a temporary table, dropped at commit, neither seen by other sessions nor
 * written to the WAL, so the log's lock is held only for the final append.
 */
export async function createStage(tx: Queryable): Promise<void> {
  await tx`
    create temp table change_stage (ord bigint not null, feed text not null, source text not null,
      ref text not null, op text not null, ward_code text, item jsonb not null) on commit drop`
}

/**
 * Staging inside the statement that produced the changes: after the caller's CTE `accepted`,
 * adds its rows to the stage numbered from `firstOrd`, and exposes `staged (op, ord)` (`ord` as
 * in `accepted`).
 */
export function stageAcceptedCtes(sql: Queryable, feed: FeedName, firstOrd: number): Fragment {
  return sql`
    staged as (
      insert into change_stage (ord, feed, source, ref, op, ward_code, item)
      select ${firstOrd}::bigint + a.ord, ${feed}::text, a.source, a.ref, a.op, a.ward_code, a.item
      from accepted a
      returning op, ord - ${firstOrd}::bigint as ord)`
}

/** Appends the stage to the log in its order, under the lock; the last seq, or null when empty. */
export async function appendStaged(tx: Queryable): Promise<number | null> {
  await tx`select ${appendLock(tx)}`
  const [row] = await tx<{ last: number | null }[]>`
    with added as (
      insert into change_log (feed, source, ref, op, ward_code, item)
      select feed, source, ref, op, ward_code, item from change_stage order by ord
      returning seq)
    select max(seq) as last from added`
  return row!.last
}

/** Rows with `after < seq <= upto`, in seq order. */
export function readChanges(sql: Queryable, after: number, upto: number | null, limit: number) {
  return sql<ChangeRow[]>`
    select seq, feed, source || ':' || ref as id, source, ref, op, ward_code as "wardCode", item
    from change_log
    where seq > ${after} ${upto === null ? sql`` : sql`and seq <= ${upto}`}
    order by seq
    limit ${limit}`
}

/** Seconds since the oldest change after `seq` was committed (0 when there is none): a reader's lag. */
export async function secondsBehind(sql: Queryable, seq: number): Promise<number> {
  const [row] = await sql<{ seconds: number | null }[]>`
    select extract(epoch from now() - changed_at)::float8 as seconds
    from change_log where seq > ${seq} order by seq limit 1`
  return Math.max(0, row?.seconds ?? 0)
}

/** The oldest and newest seq still in the log (null when it is empty). */
export async function changeLogBounds(
  sql: Queryable,
): Promise<{ oldest: number | null; newest: number | null }> {
  const [row] = await sql<{ oldest: number | null; newest: number | null }[]>`
    select min(seq) as oldest, max(seq) as newest from change_log`
  return row!
}

export async function newestSeq(sql: Queryable): Promise<number> {
  const [row] = await sql<{ newest: number | null }[]>`select max(seq) as newest from change_log`
  return row!.newest ?? 0
}

/**
 * Deletes rows older than `before`, a bounded number per call, under a lock of its own so only
 * one process prunes at a time. Returns how many rows went, or null when another process held it.
 */
export async function pruneChanges(sql: Sql, before: Date, batch = 10_000): Promise<number | null> {
  return sql.begin(async (tx) => {
    const [lock] = await tx<{ got: boolean }[]>`
      select pg_try_advisory_xact_lock(hashtext('citydeck:change_log_prune')) as got`
    if (!lock!.got) return null
    const deleted = await tx`
      delete from change_log where seq in (
        select seq from change_log where changed_at < ${before} order by seq limit ${batch})`
    return deleted.count
  })
}

/** The channel a statement trigger on `change_log` notifies after each append (schema.sql). */
export const appendedChannel = 'citydeck_change_log'

/** Calls `wake` after every append by any process (and when the listening connection reconnects). */
export async function listenForAppends(sql: Sql, wake: () => void): Promise<() => Promise<void>> {
  const listening = await sql.listen(appendedChannel, wake, wake)
  return () => listening.unlisten()
}

export type RecentChangesOptions = {
  /** The newest seq the snapshot stands at. */
  upto: number
  /** Items whose own time is before this are history, not news. */
  since: Date
  /** Changes announced in the ticker. */
  news: number
  /** How many seqs back to look: keeps a snapshot cheap on a log of millions of rows. */
  scan: number
}

/**
 * A snapshot's "recent": the latest `news` changes of the scope whose item is from `since` on,
 * oldest first. Looking for news past a backfill
 * (the demo's first start, a CSV import, the e2e seed) that was written after today's items, so
 * a wall does not start with an empty ticker; the scan is bounded by seq, not by rows found.
 */
export async function recentChanges(sql: Queryable, ward: string | undefined, options: RecentChangesOptions) {
  const rows = await sql<ChangeRow[]>`
    with latest as (
      select seq, feed, source, ref, op, ward_code, item
      from change_log
      where seq <= ${options.upto} and seq > ${options.upto - options.scan}
        ${ward === undefined ? sql`` : sql`and ward_code = ${ward}`}
    ),
    news as (
      select seq from latest
      where coalesce(item->>'submittedAt', item->>'updatedAt')::timestamptz >= ${options.since}
      order by seq desc
      limit ${options.news}
    )
    select seq, feed, source || ':' || ref as id, source, ref, op, ward_code as "wardCode", item
    from latest
    where seq in (select seq from news)
    order by seq`
  return rows
}
