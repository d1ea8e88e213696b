import {
  type LatestComment,
  type LiveScope,
  latestCommentChars,
  snapshotTicketCap,
  type Ticket,
} from '@citydeck/shared'
import type { Queryable } from '../db/connection'

const iso = (sql: Queryable, column: string) =>
  sql`to_char(${sql(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

const wardFilter = (sql: Queryable, scope: LiveScope) =>
  scope.unit !== undefined
    ? sql`and unit = ${scope.unit}`
    : scope.ward === undefined
      ? sql``
      : sql`and ward_code = ${scope.ward}`

/**
 * The scope's most urgent open tickets in wire shape (docs/design.md §2), soonest deadline first, without
 * `description` and `media` (up to 10,000 characters and a list of links each, which no screen of
 * the stream shows; the API has them): the cap then bounds the snapshot's size.
 */
export async function openTickets(sql: Queryable, scope: LiveScope): Promise<Ticket[]> {
  const rows = await sql<{ item: Ticket }[]>`
    select jsonb_strip_nulls(jsonb_build_object(
      'source', source, 'ref', ref, 'updatedAt', ${iso(sql, 'updated_at')},
      'category', category, 'title', title,
      'location', case when lat is not null then jsonb_build_object('lat', lat, 'lng', lng) end, 'address', address,
      'wardCode', ward_code, 'status', status, 'unit', unit,
      'receivedAt', ${iso(sql, 'received_at')}, 'dueAt', ${iso(sql, 'due_at')},
      'channel', channel, 'reporter', reporter)) as item
    from tickets
    where closed_effective_at is null and status <> 'rejected' ${wardFilter(sql, scope)}
    order by due_at
    limit ${snapshotTicketCap}`
  // wardCode is part of the wire shape even when null (jsonb_strip_nulls dropped it).
  return rows.map(({ item }) => ({ ...item, wardCode: item.wardCode ?? null }))
}

/**
 * The scope's latest commented survey answers, newest first by their own time (`submitted_at`):
 * chosen from the store, not from the change log, whose last rows after a backfill (written
 * newest first) are the oldest answers. Read by the partial index `survey_answers_commented`.
 */
export async function latestComments(
  sql: Queryable,
  scope: LiveScope,
  limit: number,
): Promise<LatestComment[]> {
  return sql<LatestComment[]>`
    select source || ':' || ref as id, ${iso(sql, 'submitted_at')} as at, score::int as score,
           left(btrim(comment), ${latestCommentChars}) as text, ward_code as "wardCode"
    from survey_answers
    where btrim(coalesce(comment, '')) <> '' ${wardFilter(sql, scope)}
    order by submitted_at desc
    limit ${limit}`
}
