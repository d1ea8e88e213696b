import {
  type DossierDetail,
  type DossierPage,
  itemListQuerySchema,
  type TicketDetail,
  type TicketPage,
  unitOf,
} from '@citydeck/shared'
import { redactItem } from '@citydeck/shared/redact'
import { Hono } from 'hono'
import { type AccessEnv, requireRole } from '../access/middleware'
import { canSeePersonalData } from '../access/principal'
import { unknownWard } from '../city/profile'
import type { AppDeps } from '../context'
import { apiError } from '../http/errors'
import { decodeCursor, encodeCursor } from './cursor'
import { itemWithHistory, type ListKind, listItems } from './items.sql'
import { dossierFromRow, surveyFromRow, ticketFromRow, versionFromRow } from './wire'

const toWire = { tickets: ticketFromRow, dossiers: dossierFromRow } as const

/**
 * `GET /api/v1/tickets`, `/api/v1/dossiers` (filtered, cursor-paged lists) and
 * `GET /api/v1/{tickets|dossiers}/:source/:ref` (one item with its timeline). Lists are for
 * leaders and admins (docs/design.md §5); the reporter is removed for anyone who may not see it.
 */
export function itemRoutes(deps: AppDeps) {
  const app = new Hono<AccessEnv>()
  for (const kind of ['tickets', 'dossiers'] as const satisfies ListKind[]) {
    app.get(`/${kind}`, requireRole(deps, 'leader', 'admin', 'unit:*'), async (c) => {
      const parsed = itemListQuerySchema.safeParse(c.req.query())
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!
        const field = issue.path.join('.')
        return apiError(c, 400, 'invalid_query', `${field}: ${issue.message}`, field)
      }
      const ward = unknownWard(deps.city.profile, parsed.data.ward)
      if (ward) return apiError(c, 400, 'invalid_query', ward, 'ward')
      const unit = unitOf(c.get('principal').role)
      if (unit && parsed.data.unit && parsed.data.unit !== unit) {
        return apiError(c, 403, 'forbidden', `a unit sees only its own ${kind} (${unit})`, 'unit')
      }
      // A unit reads its own items only, with the reporter's contact it needs (docs/design.md §5).
      const query = unit ? { ...parsed.data, unit } : parsed.data
      const after = query.cursor ? decodeCursor(query.cursor) : null
      if (query.cursor && !after)
        return apiError(c, 400, 'invalid_query', 'cursor: not a cursor of this list', 'cursor')
      const rows = await listItems(deps.sql, kind, query, after, deps.clock())
      const page = rows.slice(0, query.limit)
      const last = page.at(-1)
      const personal = unit !== null || canSeePersonalData(c.get('principal'))
      const body = {
        items: page.map((r) => (personal ? toWire[kind](r) : redactItem(toWire[kind](r)))),
        nextCursor:
          rows.length > query.limit && last
            ? encodeCursor({
                at: ((query.sort === 'dueAt' ? last.due_at : last.received_at) as Date).toISOString(),
                source: last.source as string,
                ref: last.ref as string,
              })
            : null,
      } as TicketPage | DossierPage
      return c.json(body)
    })
    app.get(`/${kind}/:source/:ref`, requireRole(deps, 'leader', 'admin', 'unit:*'), async (c) => {
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
