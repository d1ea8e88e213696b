import { randomBytes } from 'node:crypto'
import type { DirectiveRequest, Task, TaskInput } from '@citydeck/shared'
import type { AppDeps } from '../context'
import { ingestItems } from '../feeds/ingest'
import { subjectOf } from './tasks.sql'

/** The source of tasks created in citydeck (docs/design.md §9). */
export const directiveSource = 'citydeck'

export type Refusal = { status: 404 | 409 | 422; field?: string; message: string }
export type DirectiveOutcome = { ok: true; task: TaskInput } | ({ ok: false } & Refusal)

/** `CD-20261203-7KQ2MX`: the day it was issued and a random part, readable over the phone. */
function newRef(now: Date): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
  const random = [...randomBytes(6)].map((b) => alphabet[b % alphabet.length]).join('')
  return `CD-${now.toISOString().slice(0, 10).replaceAll('-', '')}-${random}`
}

/**
 * A leader directs a unit (chỉ đạo): a new task through the same ingest path as every feed,
 * `issuedBy` the caller, the unit and ward taken from the subject when not given.
 */
export async function issueDirective(
  deps: AppDeps,
  issuedBy: string,
  request: DirectiveRequest,
): Promise<DirectiveOutcome> {
  const now = deps.clock()
  let unit = request.unit
  if (request.subject) {
    const subject = await subjectOf(deps.sql, request.subject)
    if (!subject) {
      return { ok: false, status: 422, field: 'subject', message: `subject: no such ${request.subject.kind}` }
    }
    unit ??= subject.unit ?? undefined
  }
  if (!unit) {
    return { ok: false, status: 422, field: 'unit', message: 'unit: required when the subject names no unit' }
  }
  const dueAt = new Date(request.dueAt ?? now.getTime() + deps.city.profile.directiveHours * 3_600_000)
  if (dueAt <= now) return { ok: false, status: 422, field: 'dueAt', message: 'dueAt: must be in the future' }
  const task: TaskInput = {
    source: directiveSource,
    ref: newRef(now),
    updatedAt: now.toISOString(),
    title: request.instruction,
    unit,
    issuedBy,
    issuedAt: now.toISOString(),
    dueAt: dueAt.toISOString(),
    status: 'assigned',
    priority: request.priority ?? 'normal',
    ...(request.subject ? { subject: request.subject } : {}),
  }
  const stored = await ingestItems(deps, 'tasks', [task])
  const [rejected] = stored.rejected
  if (rejected) return { ok: false, status: 422, field: rejected.field, message: rejected.message }
  // The subject's alerts learn of it from the live stream, as of any task about them (live/sla.ts).
  return { ok: true, task }
}

/** The next version of a task after a report, later than the stored one whatever the clocks say. */
export function reportedVersion(
  task: Task,
  report: { status?: 'accepted' | 'in_progress' | 'done'; progress?: number; note: string },
  now: Date,
): TaskInput {
  const at = new Date(Math.max(now.getTime(), Date.parse(task.updatedAt) + 1)).toISOString()
  const status =
    report.status ??
    (report.progress !== undefined && report.progress > 0
      ? 'in_progress'
      : task.status === 'assigned'
        ? 'accepted'
        : task.status)
  const { wardCode, ...rest } = task
  return {
    ...rest,
    ...(wardCode ? { wardCode } : {}),
    updatedAt: at,
    status,
    progress: status === 'done' ? 100 : (report.progress ?? task.progress),
    report: report.note,
    ...(status === 'done' ? { doneAt: at } : {}),
  }
}
