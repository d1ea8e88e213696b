import type { Ticket } from '@citydeck/shared'
import type { Sql } from '../../db/connection'

type Row = Record<string, unknown>
/** A ticket's id, as a service_request_id is made of it. */
type TicketKey = { source: string; ref: string }
/** A later ticket version with what the Open311 update that wrote it brought, if one did. */
export type TicketUpdateRow = TicketKey & {
  /** The change log's seq (bigint, read as a string). */
  seq: string
  /** The ticket version as the change log keeps it. */
  item: Pick<Ticket, 'status' | 'updatedAt'>
  description: string | null
  media_url: string | null
}
export type RequestFilter = {
  ids?: Array<{ source: string; ref: string }>
  serviceCodes?: string[]
  status?: Array<'open' | 'closed'>
  start: Date
  end: Date
  limit: number
}

/** Tickets as service requests: by id, or by service code, open/closed and received window. */
export async function findRequests(sql: Sql, f: RequestFilter): Promise<Row[]> {
  if (f.ids) {
    if (f.ids.length === 0) return []
    return sql<Row[]>`
      select t.* from tickets t
      join jsonb_to_recordset(${sql.json(f.ids)}::jsonb) as x(source text, ref text)
        on t.source = x.source and t.ref = x.ref
      order by t.received_at desc limit ${f.limit}`
  }
  const onlyOpen = f.status?.length === 1 && f.status[0] === 'open'
  const onlyClosed = f.status?.length === 1 && f.status[0] === 'closed'
  return sql<Row[]>`
    select * from tickets
    where received_at >= ${f.start} and received_at <= ${f.end}
      ${f.serviceCodes ? sql`and category = any(${f.serviceCodes}::text[])` : sql``}
      ${onlyOpen ? sql`and closed_effective_at is null` : onlyClosed ? sql`and closed_effective_at is not null` : sql``}
    order by received_at desc limit ${f.limit}`
}

/** The ticket an Open311 client's token names (the token is the ticket's ref), if any. */
export async function findTokenTicket(sql: Sql, token: string): Promise<TicketKey | null> {
  const [row] = await sql<TicketKey[]>`
    select source, ref from tickets where ref = ${token} and channel = 'open311' limit 1`
  return row ?? null
}

export async function findTicket(sql: Sql, source: string, ref: string): Promise<Row | null> {
  const [row] = await sql<Row[]>`select * from tickets where source = ${source} and ref = ${ref}`
  return row ?? null
}

/**
 * Later versions of tickets stored in the window, oldest first, with the comment and photo an
 * Open311 update brought (open311_updates, keyed by the version's seq); one page of them.
 */
export async function ticketUpdates(
  sql: Sql,
  start: Date,
  end: Date,
  limit: number,
  offset: number,
): Promise<TicketUpdateRow[]> {
  return sql<TicketUpdateRow[]>`
    select c.seq, c.source, c.ref, c.item, u.description, u.media_url
    from change_log c left join open311_updates u on u.seq = c.seq
    where c.feed = 'tickets' and c.op = 'updated' and c.changed_at >= ${start} and c.changed_at <= ${end}
    order by c.seq limit ${limit} offset ${offset}`
}

/** Keeps an Open311 update's own text and photo beside the ticket version it wrote. */
export async function saveUpdate(
  sql: Sql,
  u: {
    seq: number
    source: string
    ref: string
    externalId?: string
    description?: string
    mediaUrl?: string
  },
): Promise<void> {
  await sql`
    insert into open311_updates (seq, source, ref, external_id, description, media_url)
    values (${u.seq}, ${u.source}, ${u.ref}, ${u.externalId ?? null}, ${u.description ?? null}, ${u.mediaUrl ?? null})
    on conflict (seq) do nothing`
}

/** The update_id answered for an update the sender already delivered (its own `update_id`), if any. */
export async function deliveredUpdate(
  sql: Sql,
  source: string,
  ref: string,
  externalId: string,
): Promise<number | null> {
  const [row] = await sql<Array<{ seq: string }>>`
    select seq from open311_updates
    where source = ${source} and ref = ${ref} and external_id = ${externalId}
    order by seq desc limit 1`
  return row ? Number(row.seq) : null
}

/** The database's clock: change-log rows are stamped with it, not with this process's. */
export async function databaseNow(sql: Sql): Promise<Date> {
  const [row] = await sql<Array<{ now: Date }>>`select now() as now`
  return row!.now
}

/**
 * The change-log seq of the ticket version written at `updatedAt`, stored at or after `since`
 * (a group commit answers the group's last seq, not each request's, so it is looked up).
 */
export async function seqOfVersion(
  sql: Sql,
  since: Date,
  source: string,
  ref: string,
  updatedAt: string,
): Promise<number> {
  const [row] = await sql<Array<{ seq: string }>>`
    select seq from change_log
    where changed_at >= ${since} and feed = 'tickets' and source = ${source} and ref = ${ref}
      and item->>'updatedAt' = ${updatedAt}
    order by seq desc limit 1`
  return Number(row!.seq)
}
