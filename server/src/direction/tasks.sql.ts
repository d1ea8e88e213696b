import type { Task, TaskListQuery, TaskVersion } from '@citydeck/shared'
import { dueSoonMs } from '@citydeck/shared/sla'
import type { Queryable } from '../db/connection'
import type { Cursor } from '../items/cursor'

// Reads of the tasks table and of tasks' versions in the change log (docs/design.md §9).

type Row = Record<string, unknown>
const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v))

export function taskFromRow(r: Row): Task {
  const task: Task = {
    source: String(r.source),
    ref: String(r.ref),
    updatedAt: iso(r.updated_at),
    title: String(r.title),
    unit: String(r.unit),
    issuedAt: iso(r.issued_at),
    dueAt: iso(r.due_at),
    status: r.status as Task['status'],
    wardCode: (r.ward_code as string | null) ?? null,
  }
  if (r.description !== null) task.description = String(r.description)
  if (r.issued_by !== null) task.issuedBy = String(r.issued_by)
  if (r.progress !== null) task.progress = Number(r.progress)
  if (r.done_at !== null) task.doneAt = iso(r.done_at)
  if (r.report !== null) task.report = String(r.report)
  if (r.priority !== null) task.priority = r.priority as Task['priority']
  if (r.subject_ref !== null) {
    task.subject = {
      kind: r.subject_kind as 'ticket' | 'dossier',
      source: String(r.subject_source),
      ref: String(r.subject_ref),
    }
  }
  return task
}

export async function findTask(sql: Queryable, source: string, ref: string): Promise<Task | null> {
  const [row] = await sql<Row[]>`select * from tasks where source = ${source} and ref = ${ref}`
  return row ? taskFromRow(row) : null
}

/** Every version of a task, oldest first, from the change log. */
export async function taskVersions(sql: Queryable, source: string, ref: string): Promise<TaskVersion[]> {
  const rows = await sql<Array<{ seq: number; changed_at: Date; op: 'created' | 'updated'; item: Task }>>`
    select seq, changed_at, op, item from change_log
    where feed = 'tasks' and source = ${source} and ref = ${ref} order by seq`
  return rows.map((r) => ({
    seq: r.seq,
    changedAt: r.changed_at.toISOString(),
    op: r.op,
    updatedAt: r.item.updatedAt,
    status: r.item.status,
    progress: r.item.progress ?? null,
    report: r.item.report ?? null,
    unit: r.item.unit,
    dueAt: r.item.dueAt,
  }))
}

/**
 * Tasks by the query's filters, soonest deadline (or newest issued) first; `unit` is forced for a
 * unit. Keyset paging on (sort time, source, ref) as for tickets (items/items.sql.ts): one row
 * more than `limit` is read, to tell whether a next page exists.
 */
export async function listTasks(
  sql: Queryable,
  query: TaskListQuery,
  after: Cursor | null,
  now: Date,
): Promise<Task[]> {
  const open = sql`done_at is null and status <> 'cancelled'`
  const soon = new Date(now.getTime() + dueSoonMs)
  const sla = {
    overdue: sql`and ${open} and due_at < ${now}`,
    soon: sql`and ${open} and due_at >= ${now} and due_at <= ${soon}`,
    ontime: sql`and ${open} and due_at > ${soon}`,
  }
  const [kind, source, ...rest] = query.subject?.split(':') ?? []
  const byDue = query.sort === 'dueAt'
  const rows = await sql<Row[]>`
    select * from tasks where true
      ${query.unit ? sql`and unit = ${query.unit}` : sql``}
      ${query.ward ? sql`and ward_code = ${query.ward}` : sql``}
      ${query.status ? sql`and status = ${query.status}` : sql``}
      ${query.open === 'true' ? sql`and ${open}` : query.open === 'false' ? sql`and not (${open})` : sql``}
      ${query.sla ? sla[query.sla] : sql``}
      ${query.subject ? sql`and subject_kind = ${kind!} and subject_source = ${source!} and subject_ref = ${rest.join(':')}` : sql``}
      ${
        !after
          ? sql``
          : byDue
            ? sql`and (due_at, source, ref) > (${after.at}::timestamptz, ${after.source}, ${after.ref})`
            : sql`and (issued_at, source, ref) < (${after.at}::timestamptz, ${after.source}, ${after.ref})`
      }
    order by ${byDue ? sql`due_at, source, ref` : sql`issued_at desc, source desc, ref desc`}
    limit ${query.limit + 1}`
  return rows.map(taskFromRow)
}

/** What a directive takes from its subject: the responsible unit, the ward, a title. */
export async function subjectOf(
  sql: Queryable,
  subject: { kind: 'ticket' | 'dossier'; source: string; ref: string },
): Promise<{ unit: string | null; wardCode: string | null; title: string } | null> {
  const [row] =
    subject.kind === 'ticket'
      ? await sql<Array<{ unit: string | null; ward_code: string | null; title: string }>>`
          select unit, ward_code, title from tickets where source = ${subject.source} and ref = ${subject.ref}`
      : await sql<Array<{ unit: string | null; ward_code: string | null; title: string }>>`
          select unit, ward_code, procedure_code as title from dossiers
          where source = ${subject.source} and ref = ${subject.ref}`
  return row ? { unit: row.unit, wardCode: row.ward_code, title: row.title } : null
}
