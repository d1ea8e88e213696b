import type { Sql } from '../../db/connection'

type Row = Record<string, unknown>
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

export async function findTicket(sql: Sql, source: string, ref: string): Promise<Row | null> {
  const [row] = await sql<Row[]>`select * from tickets where source = ${source} and ref = ${ref}`
  return row ?? null
}

/** Every stored version of tickets written in the window, oldest first (FixMyStreet polls this). */
export async function ticketUpdates(sql: Sql, start: Date, end: Date, limit: number): Promise<Row[]> {
  return sql<Row[]>`
    select seq, source, ref, changed_at, item from change_log
    where feed = 'tickets' and op = 'updated' and changed_at >= ${start} and changed_at <= ${end}
    order by seq limit ${limit}`
}
