import { type DossierDetail, type TicketDetail, unitOf } from '@citydeck/shared'
import { redactItem } from '@citydeck/shared/redact'
import { Hono } from 'hono'
import { type AccessEnv, requireRole } from '../access/middleware'
import { canSeePersonalData } from '../access/principal'
import type { AppDeps } from '../context'
import { refusal } from '../http/answer'
import { apiError } from '../http/errors'
import { itemWithHistory, type ListKind } from './items.sql'
import { itemReaders, readItemPage, toWire } from './list-page'
import { surveyFromRow, versionFromRow } from './wire'

/**
 * `GET /api/v1/tickets`, `/api/v1/dossiers` (filtered, cursor-paged lists) and
 * `GET /api/v1/{tickets|dossiers}/:source/:ref` (one item with its timeline). Lists are for
 * leaders and admins (docs/design.md §5); the reporter is removed for anyone who may not see it.
 */
export function itemRoutes(deps: AppDeps) {
  const app = new Hono<AccessEnv>()
  for (const kind of ['tickets', 'dossiers'] as const satisfies ListKind[]) {
    app.get(`/${kind}`, requireRole(deps, ...itemReaders), async (c) => {
      const answer = await readItemPage(deps, c.get('principal'), kind, c.req.query())
      return answer.ok ? c.json(answer.body) : refusal(c, answer)
    })
    app.get(`/${kind}/:source/:ref`, requireRole(deps, ...itemReaders), async (c) => {
      const found = await itemWithHistory(deps.sql, kind, c.req.param('source'), c.req.param('ref'))
      if (!found) return apiError(c, 404, 'not_found', `no ${kind.slice(0, -1)} with that source and ref`)
      const item = toWire[kind](found.row)
      const unit = unitOf(c.get('principal').role)
      if (unit && item.unit !== unit) return apiError(c, 403, 'forbidden', `this item is not ${unit}'s`)
      const body = {
        item: unit !== null || canSeePersonalData(c.get('principal')) ? item : redactItem(item),
        history: found.history.map(versionFromRow),
        surveys: found.surveys.map(surveyFromRow),
      } as TicketDetail | DossierDetail
      return c.json(body)
    })
  }
  return app
}
