import { z } from 'zod'
import { feedItemBase, isoDateTime } from './common'

export const taskStatuses = ['assigned', 'accepted', 'in_progress', 'done', 'cancelled'] as const
export const taskPriorities = ['normal', 'urgent'] as const

/** The item a task is about (docs/design.md §9). */
export const taskSubject = z.object({
  kind: z.enum(['ticket', 'dossier']),
  source: z.string().trim().min(1).max(100),
  ref: z.string().trim().min(1).max(200),
})
export type TaskSubject = z.infer<typeof taskSubject>

/**
 * A task (nhiệm vụ, docs/design.md §9): work assigned to a unit with a deadline, from a task-tracking
 * system through the feed, or created in citydeck as a directive (chỉ đạo, source `citydeck`).
 * Each report by the unit is a new version of the same `(source, ref)`.
 */
export const taskSchema = feedItemBase.extend({
  title: z.string().trim().min(1).max(500),
  description: z.string().max(10_000).optional(),
  unit: z.string().trim().min(1).max(64),
  issuedBy: z.string().trim().max(200).optional(),
  issuedAt: isoDateTime,
  dueAt: isoDateTime,
  status: z.enum(taskStatuses),
  progress: z.number().int().min(0).max(100).optional(),
  doneAt: isoDateTime.optional(),
  report: z.string().max(5_000).optional(),
  priority: z.enum(taskPriorities).optional(),
  subject: taskSubject.optional(),
  wardCode: z.string().max(16).optional(),
})
export type TaskInput = z.infer<typeof taskSchema>
/** A task as stored and sent out: `wardCode` taken from the subject when it was not sent. */
export type Task = Omit<TaskInput, 'wardCode'> & { wardCode: string | null }
export type TaskStatus = (typeof taskStatuses)[number]
