import { type Alert, type AlertKind, alertAckSchema, alertKinds } from '@citydeck/shared'
import { Hono } from 'hono'
import { audit } from '../access/audit'
import { type AccessEnv, requireRole } from '../access/middleware'
import { acknowledgeAlert, alertFromRow } from '../alerts/alerts.sql'
import type { AppDeps } from '../context'
import { requestAddress } from '../http/client-address'
import { apiError } from '../http/errors'
import { jsonBody, requireJson } from '../http/json-body'
import { issueDirective } from './directives'

const subjectKinds = { ticket_overdue: 'ticket', dossier_overdue: 'dossier' } as const

/**
 * `POST /api/v1/alerts/:kind/:source/:ref/ack` (docs/design.md §9): a leader acknowledges an alert (who,
 * when), and may direct its item's unit in the same step. Every screen learns the new state
 * through the `alert` event.
 */
export function alertRoutes(deps: AppDeps) {
  return new Hono<AccessEnv>().post(
    '/:kind/:source/:ref/ack',
    requireRole(deps, 'leader', 'admin'),
    requireJson(),
    async (c) => {
      const kind = c.req.param('kind')
      if (!alertKinds.includes(kind as AlertKind)) {
        return apiError(c, 404, 'not_found', `alert kinds are ${alertKinds.join(', ')}`, 'kind')
      }
      const body = await jsonBody(c, alertAckSchema)
      if (!body.ok) return body.response
      const principal = c.get('principal')
      const by = principal.label ?? principal.role
      const source = c.req.param('source')
      const ref = c.req.param('ref')
      const row = await acknowledgeAlert(deps.sql, kind as AlertKind, `${source}:${ref}`, by, deps.clock())
      if (!row) return apiError(c, 404, 'not_found', `no current ${kind} alert for ${source}:${ref}`)
      let alert: Alert = alertFromRow(row)
      if (body.data.directive) {
        const subjectKind = subjectKinds[kind as keyof typeof subjectKinds]
        if (!subjectKind) {
          return apiError(
            c,
            422,
            'invalid',
            'directive: a task alert is directed through its task',
            'directive',
          )
        }
        const outcome = await issueDirective(deps, by, {
          ...body.data.directive,
          subject: { kind: subjectKind, source, ref },
        })
        if (!outcome.ok) {
          return apiError(
            c,
            outcome.status,
            'invalid',
            `directive.${outcome.message}`,
            `directive.${outcome.field}`,
          )
        }
        alert = {
          ...alert,
          directed: {
            task: `${outcome.task.source}:${outcome.task.ref}`,
            unit: outcome.task.unit,
            dueAt: outcome.task.dueAt,
          },
        }
      }
      deps.events.emit('alert.changed', alert)
      await audit(deps.sql, {
        principal,
        action: 'alert.ack',
        target: `alert:${kind}:${source}:${ref}`,
        detail: { note: body.data.note ?? null, directed: alert.directed?.task ?? null },
        address: requestAddress(c, deps.config),
        at: deps.clock(),
      })
      return c.json(alert)
    },
  )
}
