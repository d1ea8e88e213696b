import type { FeedName } from '@citydeck/shared'
import type { Sql } from '../db/connection'

/** A change-log row as the live stream reads it. */
export type ChangeRow = {
  seq: number
  feed: FeedName
  source: string
  ref: string
  op: 'created' | 'updated'
  wardCode: string | null
  item: Record<string, unknown>
}

/** Rows with `after < seq <= upto`, in seq order (seq order is commit order, see appendChanges). */
export function readChanges(sql: Sql, after: number, upto: number | null, limit: number) {
  return sql<ChangeRow[]>`
    select seq, feed, source, ref, op, ward_code as "wardCode", item
    from change_log
    where seq > ${after} ${upto === null ? sql`` : sql`and seq <= ${upto}`}
    order by seq
    limit ${limit}`
}

/** The oldest and newest seq still in the log (null when it is empty). */
export async function changeLogBounds(sql: Sql): Promise<{ oldest: number | null; newest: number | null }> {
  const [row] = await sql<{ oldest: number | null; newest: number | null }[]>`
    select min(seq) as oldest, max(seq) as newest from change_log`
  return row!
}

export async function newestSeq(sql: Sql): Promise<number> {
  const [row] = await sql<{ newest: number | null }[]>`select max(seq) as newest from change_log`
  return row!.newest ?? 0
}

/**
 * Deletes rows older than `before`, a bounded number per call, under a session advisory lock
 * so only one process prunes at a time. Returns how many rows went, or null when another
 * process held the lock.
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

export type RecentChangesOptions = {
  /** The newest seq the snapshot stands at. */
  upto: number
  /** Items whose own time is before this are history, not news. */
  since: Date
  /** Changes announced in the ticker. */
  news: number
  /** Survey answers with a comment (the satisfaction scene's "latest comments"), of any age. */
  comments: number
  /** How many seqs back to look: keeps a snapshot cheap on a log of millions of rows. */
  scan: number
}

/**
 * A snapshot's "recent": the latest `news` changes of the scope whose item is from `since` on,
 * and the latest `comments` commented answers, oldest first. Looking for news past a backfill
 * (the demo's first start, a CSV import, the e2e seed) that was written after today's items, so
 * a wall does not start with an empty ticker; the scan is bounded by seq, not by rows found.
 */
export async function recentChanges(sql: Sql, ward: string | undefined, options: RecentChangesOptions) {
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
    ),
    comments as (
      select seq from latest
      where feed = 'surveys' and btrim(coalesce(item->>'comment', '')) <> ''
      order by seq desc
      limit ${options.comments}
    )
    select seq, feed, source, ref, op, ward_code as "wardCode", item
    from latest
    where seq in (select seq from news union select seq from comments)
    order by seq`
  return rows
}
