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

/** The last `limit` changes of a scope up to `upto`, oldest first (a snapshot's "recent"). */
export async function recentChanges(sql: Sql, ward: string | undefined, upto: number, limit: number) {
  const rows = await sql<ChangeRow[]>`
    select seq, feed, source, ref, op, ward_code as "wardCode", item
    from change_log
    where seq <= ${upto} ${ward === undefined ? sql`` : sql`and ward_code = ${ward}`}
    order by seq desc
    limit ${limit}`
  return rows.reverse()
}
