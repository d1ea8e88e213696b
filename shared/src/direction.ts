import { z } from 'zod'
import { isoDateTime, storableText } from './feeds/common'
import { taskPriorities, taskSchema, taskStatuses, taskSubject } from './feeds/task'

/**
 * `POST /api/v1/directives` (docs/design.md §9): a leader directs a unit. `unit` defaults to the
 * subject's unit, `dueAt` to now + the profile's directive hours.
 */
export const directiveSchema = z.object({
  subject: taskSubject.optional(),
  unit: storableText(64).optional(),
  instruction: storableText(500),
  dueAt: isoDateTime.optional(),
  priority: z.enum(taskPriorities).optional(),
})
export type DirectiveRequest = z.infer<typeof directiveSchema>

/** Where a created directive (a task) can be found. */
export const taskIdSchema = z.object({ source: z.string(), ref: z.string() }).meta({ id: 'TaskId' })
export type TaskId = z.infer<typeof taskIdSchema>

/** `POST /api/v1/tasks/{source}/{ref}/reports`: a unit reports progress, a new version of the task. */
export const taskReportSchema = z.object({
  status: z.enum(['accepted', 'in_progress', 'done']).optional(),
  progress: z.number().int().min(0).max(100).optional(),
  note: storableText(5_000),
})
export type TaskReport = z.infer<typeof taskReportSchema>

/** `POST /api/v1/alerts/{kind}/{source}/{ref}/ack`: acknowledge an alert, optionally directing its item. */
export const alertAckSchema = z.object({
  note: storableText(500).optional(),
  directive: directiveSchema.omit({ subject: true }).optional(),
})
export type AlertAck = z.infer<typeof alertAckSchema>

/** A task as stored and read back (docs/design.md §9). */
export const storedTaskSchema = taskSchema.extend({ wardCode: z.string().nullable() }).meta({ id: 'Task' })

/** One version of a task: what changed it, as the timeline shows it. */
export const taskVersionSchema = z.object({
  seq: z.number().int(),
  changedAt: isoDateTime,
  op: z.enum(['created', 'updated']),
  updatedAt: isoDateTime,
  status: z.enum(taskStatuses),
  progress: z.number().int().nullable(),
  report: z.string().nullable(),
  unit: z.string(),
  dueAt: isoDateTime,
})
export type TaskVersion = z.infer<typeof taskVersionSchema>

/** A task with every version of it. */
export const taskDetailSchema = z
  .object({ item: storedTaskSchema, history: z.array(taskVersionSchema) })
  .meta({ id: 'TaskDetail' })
export type TaskDetail = z.infer<typeof taskDetailSchema>

/** `GET /api/v1/tasks` (a unit sees only its own). `sla` is the state at `openAt`, default now. */
export const taskListQuerySchema = z.object({
  unit: storableText(64).optional(),
  ward: storableText(16).optional(),
  status: z.enum(taskStatuses).optional(),
  open: z.enum(['true', 'false']).optional(),
  sla: z.enum(['overdue', 'soon', 'ontime']).optional(),
  subject: z
    .string()
    .regex(/^(ticket|dossier):[^:]+:.+$/, 'ticket|dossier:<source>:<ref>')
    .optional(),
  sort: z.enum(['dueAt', '-issuedAt']).default('dueAt'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** The `nextCursor` of the page before (keyset paging, as for tickets and dossiers). */
  cursor: storableText(500).optional(),
})
export type TaskListQuery = z.infer<typeof taskListQuerySchema>
/** A page of tasks; pass `nextCursor` as `cursor` for the next one (null: no more). */
export const taskPageSchema = z
  .object({ items: z.array(storedTaskSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'TaskPage' })
export type TaskPage = z.infer<typeof taskPageSchema>
