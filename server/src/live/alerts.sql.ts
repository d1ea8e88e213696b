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
 * Stores the alerts of these deadlines whose items are still open with that deadline and that
 * no process stored before, in one statement: the returned rows are the ones this process
 * raises; a deadline missing from them means "not me" (closed meanwhile, or raised elsewhere).
 */
export async function raiseAlerts(sql: Sql, deadlines: readonly Deadline[], at: Date): Promise<AlertRow[]> {
  if (deadlines.length === 0) return []
  return sql<AlertRow[]>`
    insert into alerts (kind, item_id, due_at, ward_code, title, raised_at)
    select x.kind, x.source || ':' || x.ref, x."dueAt", x."wardCode", x.title, ${at}
    from jsonb_to_recordset(${sql.json(deadlines as never)}::jsonb)
      as x(kind text, source text, ref text, "dueAt" timestamptz, "wardCode" text, title text)
    where case x.kind
      when 'ticket_overdue' then exists (select 1 from tickets t where t.source = x.source and t.ref = x.ref
        and t.due_at = x."dueAt" and t.closed_effective_at is null and t.status <> 'rejected')
      else exists (select 1 from dossiers d where d.source = x.source and d.ref = x.ref
        and d.due_at = x."dueAt" and d.finished_at is null and d.status not in ('withdrawn', 'rejected'))
    end
    on conflict (kind, item_id, due_at) do nothing
    returning id, kind, item_id, due_at, ward_code, title, raised_at`
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
