import type { Sql } from '../db/connection'
import type { AlertRow } from './snapshot.sql'

export type AlertKind = 'ticket_overdue' | 'dossier_overdue'

/** An open item's deadline, as the SLA timers keep it. */
export type Deadline = {
  kind: AlertKind
  source: string
  ref: string
  dueAt: Date
  wardCode: string | null
  title: string | null
}

/** Open tickets and dossiers due before `horizon` that have no alert for that deadline yet. */
export async function upcomingDeadlines(sql: Sql, horizon: Date): Promise<Deadline[]> {
  return sql<Deadline[]>`
    select 'ticket_overdue' as kind, t.source, t.ref, t.due_at as "dueAt", t.ward_code as "wardCode", t.title
    from tickets t
    where t.closed_effective_at is null and t.status <> 'rejected' and t.due_at < ${horizon}
      and not exists (select 1 from alerts a where a.kind = 'ticket_overdue'
        and a.item_id = t.source || ':' || t.ref and a.due_at = t.due_at)
    union all
    select 'dossier_overdue', d.source, d.ref, d.due_at, d.ward_code, d.procedure_code
    from dossiers d
    where d.finished_at is null and d.status not in ('withdrawn', 'rejected') and d.due_at < ${horizon}
      and not exists (select 1 from alerts a where a.kind = 'dossier_overdue'
        and a.item_id = d.source || ':' || d.ref and a.due_at = d.due_at)`
}

/**
 * Stores the alert if the item is still open with that deadline and no process stored it
 * before: the returned row means "this process raises it", an empty result means "not me".
 */
export async function raiseAlert(sql: Sql, d: Deadline, at: Date): Promise<AlertRow | null> {
  const table = d.kind === 'ticket_overdue' ? sql`tickets` : sql`dossiers`
  const stillOpen =
    d.kind === 'ticket_overdue'
      ? sql`closed_effective_at is null and status <> 'rejected'`
      : sql`finished_at is null and status not in ('withdrawn', 'rejected')`
  const [row] = await sql<AlertRow[]>`
    insert into alerts (kind, item_id, due_at, ward_code, title, raised_at)
    select ${d.kind}, ${`${d.source}:${d.ref}`}, ${d.dueAt}, ${d.wardCode}, ${d.title}, ${at}
    where exists (select 1 from ${table} where source = ${d.source} and ref = ${d.ref}
      and due_at = ${d.dueAt} and ${stillOpen})
    on conflict (kind, item_id, due_at) do nothing
    returning id, kind, item_id, due_at, ward_code, title, raised_at`
  return row ?? null
}

/**
 * Marks current alerts of these items resolved: the item closed, or its deadline moved
 * (`keepDue` names the deadline still in force). Row locks make exactly one process see each row.
 */
export async function resolveAlerts(
  sql: Sql,
  items: Array<{ id: string; keepDue: Date | null }>,
  at: Date,
): Promise<AlertRow[]> {
  if (items.length === 0) return []
  return sql<AlertRow[]>`
    update alerts a set resolved_at = ${at}
    from jsonb_to_recordset(${sql.json(items as never)}::jsonb) as x(id text, "keepDue" timestamptz)
    where a.resolved_at is null and a.item_id = x.id
      and (x."keepDue" is null or a.due_at <> x."keepDue")
    returning a.id, a.kind, a.item_id, a.due_at, a.ward_code, a.title, a.raised_at`
}
