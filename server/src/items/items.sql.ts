import type { ItemListQuery } from '@citydeck/shared'
import { dueSoonMs } from '@citydeck/shared/sla'
import type { Sql } from '../db/connection'
import type { Cursor } from './cursor'

export type ListKind = 'tickets' | 'dossiers'
type Row = Record<string, unknown>

/**
 * One page of tickets or dossiers, newest (or oldest) received first, or soonest deadline first
 * (`sort=dueAt`). Keyset paging on (sort time, source, ref), the primary key breaking ties, so
 * pages never skip or repeat rows while new items arrive. `sla` keeps open items in that state
 * at `now`, by the rule of shared/src/sla.ts (overdue: due_at < now; soon: within dueSoonMs).
 */
export async function listItems(
  sql: Sql,
  kind: ListKind,
  query: ItemListQuery,
  after: Cursor | null,
  now: Date = new Date(),
): Promise<Row[]> {
  const desc = query.sort === '-receivedAt'
  const at = sql(query.sort === 'dueAt' ? 'due_at' : 'received_at')
  const isOpen =
    kind === 'tickets'
      ? sql`closed_effective_at is null`
      : sql`finished_at is null and status not in ('withdrawn', 'rejected')`
  const soon = new Date(now.getTime() + dueSoonMs)
  const sla = {
    overdue: sql`and ${isOpen} and due_at < ${now}`,
    soon: sql`and ${isOpen} and due_at >= ${now} and due_at <= ${soon}`,
    ontime: sql`and ${isOpen} and due_at > ${soon}`,
  }
  const filters = [
    query.sla ? sla[query.sla] : sql``,
    query.ward ? sql`and ward_code = ${query.ward}` : sql``,
    query.unit ? sql`and unit = ${query.unit}` : sql``,
    query.status ? sql`and status = ${query.status}` : sql``,
    query.from ? sql`and received_at >= ${query.from}` : sql``,
    query.to ? sql`and received_at < ${query.to}` : sql``,
    after
      ? desc
        ? sql`and (${at}, source, ref) < (${after.at}::timestamptz, ${after.source}, ${after.ref})`
        : sql`and (${at}, source, ref) > (${after.at}::timestamptz, ${after.source}, ${after.ref})`
      : sql``,
  ]
  const order = desc ? sql`${at} desc, source desc, ref desc` : sql`${at}, source, ref`
  if (kind === 'tickets') {
    const open =
      query.open === undefined
        ? sql``
        : query.open === 'true'
          ? sql`and closed_effective_at is null`
          : sql`and closed_effective_at is not null`
    const pattern = query.q ? `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null
    return sql<Row[]>`
      select * from tickets where true ${filters}
        ${query.category ? sql`and category = ${query.category}` : sql``} ${open}
        ${pattern ? sql`and (title ilike ${pattern} or address ilike ${pattern})` : sql``}
      order by ${order} limit ${query.limit + 1}`
  }
  const open =
    query.open === undefined
      ? sql``
      : query.open === 'true'
        ? sql`and finished_at is null and status not in ('withdrawn', 'rejected')`
        : sql`and (finished_at is not null or status in ('withdrawn', 'rejected'))`
  return sql<Row[]>`
    select * from dossiers where true ${filters}
      ${query.procedureCode ? sql`and procedure_code = ${query.procedureCode}` : sql``} ${open}
      ${query.field ? sql`and procedure_code in (select code from procedures where field = ${query.field})` : sql``}
    order by ${order} limit ${query.limit + 1}`
}

/** One item, every version of it from the change log, and the survey answers about it. */
export async function itemWithHistory(sql: Sql, kind: ListKind, source: string, ref: string) {
  const table = sql(kind)
  const [row] = await sql<Row[]>`select * from ${table} where source = ${source} and ref = ${ref}`
  if (!row) return null
  const history = await sql<Row[]>`
    select seq, changed_at, op, item from change_log
    where feed = ${kind} and source = ${source} and ref = ${ref} order by seq`
  const surveys = await sql<Row[]>`
    select * from survey_answers
    where subject_kind = ${kind === 'tickets' ? 'ticket' : 'dossier'}
      and subject_source = ${source} and subject_ref = ${ref}
    order by submitted_at`
  return { row, history, surveys }
}
