import type { LiveScope, Ticket } from '@citydeck/shared'
import type { Queryable } from '../db/connection'

/** Most open tickets a snapshot carries; a wall shows far fewer, a city has a few hundred. */
export const snapshotTicketLimit = 5000

const iso = (sql: Queryable, column: string) =>
  sql`to_char(${sql(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

const wardFilter = (sql: Queryable, scope: LiveScope) =>
  scope.unit !== undefined
    ? sql`and unit = ${scope.unit}`
    : scope.ward === undefined
      ? sql``
      : sql`and ward_code = ${scope.ward}`

/** Open tickets of the scope in wire shape (DESIGN §2), soonest deadline first. */
export async function openTickets(sql: Queryable, scope: LiveScope): Promise<Ticket[]> {
  const rows = await sql<{ item: Ticket }[]>`
    select jsonb_strip_nulls(jsonb_build_object(
      'source', source, 'ref', ref, 'updatedAt', ${iso(sql, 'updated_at')},
      'category', category, 'title', title, 'description', description,
      'location', jsonb_build_object('lat', lat, 'lng', lng), 'address', address,
      'wardCode', ward_code, 'status', status, 'unit', unit,
      'receivedAt', ${iso(sql, 'received_at')}, 'dueAt', ${iso(sql, 'due_at')},
      'channel', channel, 'reporter', reporter, 'media', media)) as item
    from tickets
    where closed_effective_at is null and status <> 'rejected' ${wardFilter(sql, scope)}
    order by due_at
    limit ${snapshotTicketLimit}`
  // wardCode is part of the wire shape even when null (jsonb_strip_nulls dropped it).
  return rows.map(({ item }) => ({ ...item, wardCode: item.wardCode ?? null }))
}
