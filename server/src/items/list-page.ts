import { type DossierPage, itemListQuerySchema, type TicketPage } from '@citydeck/shared'
import { redactItem } from '@citydeck/shared/redact'
import type { RoleGrant } from '../access/middleware'
import { canSeePersonalData, type Principal } from '../access/principal'
import type { AppDeps } from '../context'
import type { Answer } from '../http/answer'
import { encodeCursor } from './cursor'
import { type ListKind, listItems } from './items.sql'
import { scopedListQuery } from './scoped-query'
import { dossierFromRow, ticketFromRow } from './wire'

/** Who reads the lists (docs/design.md §5): leaders and admins, and a unit its own items. */
export const itemReaders: readonly RoleGrant[] = ['leader', 'admin', 'unit:*']

export const toWire = { tickets: ticketFromRow, dossiers: dossierFromRow } as const
type Page = { tickets: TicketPage; dossiers: DossierPage }

/**
 * `GET /api/v1/tickets|dossiers`: one filtered, cursor-paged page as `principal` may see it. A
 * unit reads its own items only, with the reporter's contact it needs; anyone else without
 * personal data rights gets them redacted.
 */
export async function readItemPage<K extends ListKind>(
  deps: Pick<AppDeps, 'sql' | 'city' | 'clock'>,
  principal: Pick<Principal, 'role'>,
  kind: K,
  raw: Record<string, string | undefined>,
): Promise<Answer<Page[K]>> {
  const scoped = scopedListQuery(itemListQuerySchema, raw, deps.city.profile, principal, kind)
  if (!scoped.ok) return scoped
  // A unit reads its own items only, with the reporter's contact it needs (docs/design.md §5).
  const { query, after, unit } = scoped.body
  const rows = await listItems(deps.sql, kind, query, after, deps.clock())
  const page = rows.slice(0, query.limit)
  const last = page.at(-1)
  const personal = unit !== null || canSeePersonalData(principal)
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
  } as Page[K]
  return { ok: true, body }
}
