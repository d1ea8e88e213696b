import { type Alert, type AlertKind, type LiveScope, snapshotAlertCap } from '@citydeck/shared'
import type { Queryable } from '../db/connection'

// The alerts table's one owner (docs/design.md §4, §9): SLA breaches raised by the live stream's timers
// (live/sla.ts), resolved when their item closes, acknowledged, escalated and directed as work.

/** An open item's deadline, as the SLA timers keep it. */
export type Deadline = {
  kind: AlertKind
  source: string
  ref: string
  dueAt: Date
  wardCode: string | null
  title: string | null
}

export type AlertRow = {
  kind: AlertKind
  item_id: string
  due_at: Date
  ward_code: string | null
  title: string | null
  raised_at: Date
  acknowledged_at: Date | null
  acknowledged_by: string | null
  escalated_at: Date | null
  directed_source: string | null
  directed_ref: string | null
  directed_unit: string | null
  directed_due_at: Date | null
}

const columns = (sql: Queryable) => sql`kind, item_id, due_at, ward_code, title, raised_at, acknowledged_at,
  acknowledged_by, escalated_at, directed_source, directed_ref, directed_unit, directed_due_at`

export function alertFromRow(row: AlertRow): Alert {
  return {
    kind: row.kind,
    id: row.item_id,
    at: row.raised_at.toISOString(),
    wardCode: row.ward_code,
    ...(row.title ? { title: row.title } : {}),
    dueAt: row.due_at.toISOString(),
    ...(row.acknowledged_at
      ? { acknowledged: { by: row.acknowledged_by ?? '', at: row.acknowledged_at.toISOString() } }
      : {}),
    ...(row.escalated_at ? { escalatedAt: row.escalated_at.toISOString() } : {}),
    ...(row.directed_ref && row.directed_unit && row.directed_due_at
      ? {
          directed: {
            task: `${row.directed_source}:${row.directed_ref}`,
            unit: row.directed_unit,
            dueAt: row.directed_due_at.toISOString(),
          },
        }
      : {}),
  }
}

/** Open tickets, dossiers and tasks due before `horizon` that have no alert for that deadline yet. */
export async function upcomingDeadlines(sql: Queryable, horizon: Date): Promise<Deadline[]> {
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
        and a.item_id = d.source || ':' || d.ref and a.due_at = d.due_at)
    union all
    select 'task_overdue', k.source, k.ref, k.due_at, k.ward_code, k.title
    from tasks k
    where k.done_at is null and k.status <> 'cancelled' and k.due_at < ${horizon}
      and not exists (select 1 from alerts a where a.kind = 'task_overdue'
        and a.item_id = k.source || ':' || k.ref and a.due_at = k.due_at)`
}

/**
 * Stores the alerts of these deadlines whose items are still open with that deadline and that
 * no process stored before, in one statement: the returned rows are the ones this process
 * raises; a deadline missing from them means "not me" (closed meanwhile, or raised elsewhere).
 */
export async function raiseAlerts(
  sql: Queryable,
  deadlines: readonly Deadline[],
  at: Date,
): Promise<AlertRow[]> {
  if (deadlines.length === 0) return []
  const rows = deadlines.map((d) => ({ ...d, dueAt: d.dueAt.toISOString() }))
  return sql<AlertRow[]>`
    insert into alerts (kind, item_id, due_at, ward_code, title, raised_at)
    select x.kind, x.source || ':' || x.ref, x."dueAt", x."wardCode", x.title, ${at}
    from jsonb_to_recordset(${sql.json(rows)}::jsonb)
      as x(kind text, source text, ref text, "dueAt" timestamptz, "wardCode" text, title text)
    where case x.kind
      when 'ticket_overdue' then exists (select 1 from tickets t where t.source = x.source and t.ref = x.ref
        and t.due_at = x."dueAt" and t.closed_effective_at is null and t.status <> 'rejected')
      when 'dossier_overdue' then exists (select 1 from dossiers d where d.source = x.source and d.ref = x.ref
        and d.due_at = x."dueAt" and d.finished_at is null and d.status not in ('withdrawn', 'rejected'))
      else exists (select 1 from tasks k where k.source = x.source and k.ref = x.ref
        and k.due_at = x."dueAt" and k.done_at is null and k.status <> 'cancelled')
    end
    on conflict (kind, item_id, due_at) do nothing
    returning ${columns(sql)}`
}

/**
 * Marks current alerts of these items resolved: the item closed, or its deadline moved
 * (`keepDue` names the deadline still in force). Row locks make exactly one process see each row.
 */
export async function resolveAlerts(
  sql: Queryable,
  items: Array<{ kind: AlertKind; id: string; keepDue: Date | null }>,
  at: Date,
): Promise<AlertRow[]> {
  if (items.length === 0) return []
  // The recordset's names differ from the table's, so RETURNING reads the table's unqualified.
  const rows = items.map((i) => ({ k: i.kind, i: i.id, due: i.keepDue?.toISOString() ?? null }))
  return sql<AlertRow[]>`
    update alerts a set resolved_at = ${at}
    from jsonb_to_recordset(${sql.json(rows)}::jsonb) as x(k text, i text, due timestamptz)
    where a.resolved_at is null and a.item_id = x.i and a.kind = x.k
      and (x.due is null or a.due_at <> x.due)
    returning ${columns(sql)}`
}

/** Alerts still current (not resolved) in the scope, newest first: a snapshot's share of them. */
export async function currentAlerts(sql: Queryable, scope: LiveScope): Promise<Alert[]> {
  const rows = await sql<AlertRow[]>`
    select ${columns(sql)} from alerts
    where resolved_at is null ${scope.ward === undefined ? sql`` : sql`and ward_code = ${scope.ward}`}
    order by raised_at desc
    limit ${snapshotAlertCap}`
  return rows.map(alertFromRow)
}

/**
 * Records who acknowledged the current alert of `kind` for the item (once: a second
 * acknowledgement keeps the first). Null when the item has no current alert of that kind.
 */
export async function acknowledgeAlert(
  sql: Queryable,
  kind: AlertKind,
  id: string,
  by: string,
  at: Date,
): Promise<AlertRow | null> {
  const [row] = await sql<AlertRow[]>`
    update alerts set acknowledged_at = coalesce(acknowledged_at, ${at}),
      acknowledged_by = coalesce(acknowledged_by, ${by})
    where kind = ${kind} and item_id = ${id} and resolved_at is null
    returning ${columns(sql)}`
  return row ?? null
}

/**
 * Marks the item's current alerts as given a directive (a task about it, from citydeck or a
 * task-tracking feed); returns those it changed, so of several processes told of the same task
 * only the first announces them.
 */
export async function markDirected(
  sql: Queryable,
  id: string,
  task: { source: string; ref: string; unit: string; dueAt: string },
): Promise<AlertRow[]> {
  return sql<AlertRow[]>`
    update alerts set directed_source = ${task.source}, directed_ref = ${task.ref},
      directed_unit = ${task.unit}, directed_due_at = ${task.dueAt}
    where item_id = ${id} and resolved_at is null and kind <> 'task_overdue'
      and (directed_source, directed_ref) is distinct from (${task.source}, ${task.ref})
    returning ${columns(sql)}`
}

/**
 * Escalates the overdue ticket and dossier alerts raised before `raisedBefore` and still not
 * acknowledged: the update's row locks make exactly one process see (and announce) each.
 */
export async function escalateAlerts(sql: Queryable, raisedBefore: Date, at: Date): Promise<AlertRow[]> {
  return sql<AlertRow[]>`
    update alerts set escalated_at = ${at}
    where resolved_at is null and acknowledged_at is null and escalated_at is null
      and kind in ('ticket_overdue', 'dossier_overdue') and raised_at <= ${raisedBefore}
    returning ${columns(sql)}`
}
