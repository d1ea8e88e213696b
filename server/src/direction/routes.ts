import { directiveSchema, type TaskDetail, type TaskId, taskReportSchema, unitOf } from '@citydeck/shared'
import { Hono } from 'hono'
import { audit } from '../access/audit'
import { type AccessEnv, requireRole } from '../access/middleware'
import type { AppDeps } from '../context'
import { ingestItems } from '../feeds/ingest'
import { refusal } from '../http/answer'
import { requestAddress } from '../http/client-address'
import { apiError } from '../http/errors'
import { jsonBody, requireJson } from '../http/json-body'
import { issueDirective, reportedVersion } from './directives'
import { readTaskPage, taskReaders } from './task-page'
import { findTask, taskVersions } from './tasks.sql'

/**
 * Direction (docs/design.md §9): `POST /api/v1/directives` (leaders direct a unit), `GET /api/v1/tasks`
 * and `/tasks/:source/:ref` (leaders see all; a unit only its own), and
 * `POST /api/v1/tasks/:source/:ref/reports` (the task's unit reports progress, as a new version).
 */
export function directionRoutes(deps: AppDeps) {
  const app = new Hono<AccessEnv>()

  app.post('/directives', requireRole(deps, 'leader', 'admin'), requireJson(), async (c) => {
    const body = await jsonBody(c, directiveSchema)
    if (!body.ok) return body.response
    const principal = c.get('principal')
    const outcome = await issueDirective(deps, principal.label ?? principal.role, body.data)
    if (!outcome.ok) return apiError(c, outcome.status, 'invalid', outcome.message, outcome.field)
    const id: TaskId = { source: outcome.task.source, ref: outcome.task.ref }
    await audit(deps.sql, {
      principal,
      action: 'directive.create',
      target: `task:${id.source}:${id.ref}`,
      detail: {
        unit: outcome.task.unit,
        dueAt: outcome.task.dueAt,
        subject: body.data.subject
          ? `${body.data.subject.kind}:${body.data.subject.source}:${body.data.subject.ref}`
          : null,
      },
      address: requestAddress(c, deps.config),
      at: deps.clock(),
    })
    return c.json(id, 201)
  })

  app.get('/tasks', requireRole(deps, ...taskReaders), async (c) => {
    const answer = await readTaskPage(deps, c.get('principal'), c.req.query())
    return answer.ok ? c.json(answer.body) : refusal(c, answer)
  })

  app.get('/tasks/:source/:ref', requireRole(deps, ...taskReaders), async (c) => {
    const task = await findTask(deps.sql, c.req.param('source'), c.req.param('ref'))
    if (!task) return apiError(c, 404, 'not_found', 'no task with that source and ref')
    const unit = unitOf(c.get('principal').role)
    if (unit && task.unit !== unit) return apiError(c, 403, 'forbidden', `this task is not ${unit}'s`)
    const body: TaskDetail = { item: task, history: await taskVersions(deps.sql, task.source, task.ref) }
    return c.json(body)
  })

  app.post(
    '/tasks/:source/:ref/reports',
    requireRole(deps, 'leader', 'admin', 'unit:*'),
    requireJson(),
    async (c) => {
      const body = await jsonBody(c, taskReportSchema)
      if (!body.ok) return body.response
      const principal = c.get('principal')
      const task = await findTask(deps.sql, c.req.param('source'), c.req.param('ref'))
      if (!task) return apiError(c, 404, 'not_found', 'no task with that source and ref')
      const unit = unitOf(principal.role)
      if (unit && task.unit !== unit) return apiError(c, 403, 'forbidden', `this task is not ${unit}'s`)
      if (task.status === 'done' || task.status === 'cancelled') {
        return apiError(c, 409, 'conflict', `the task is already ${task.status}`, 'status')
      }
      const next = reportedVersion(task, body.data, deps.clock())
      const stored = await ingestItems(deps, 'tasks', [next])
      const [rejected] = stored.rejected
      if (rejected) return apiError(c, 422, 'invalid', rejected.message, rejected.field)
      if (stored.updated !== 1) {
        return apiError(c, 409, 'conflict', 'a newer version of the task was stored meanwhile: reload it')
      }
      await audit(deps.sql, {
        principal,
        action: 'task.report',
        target: `task:${task.source}:${task.ref}`,
        detail: { status: next.status, progress: next.progress ?? null },
        address: requestAddress(c, deps.config),
        at: deps.clock(),
      })
      const reply: TaskDetail = {
        item: (await findTask(deps.sql, task.source, task.ref))!,
        history: await taskVersions(deps.sql, task.source, task.ref),
      }
      return c.json(reply)
    },
  )

  return app
}
