import { type DossierPage, itemListQuerySchema, type TicketPage, unitOf } from '@citydeck/shared'
import { redactItem } from '@citydeck/shared/redact'
import type { RoleGrant } from '../access/middleware'
import { canSeePersonalData, type Principal } from '../access/principal'
import { unknownWard } from '../city/profile'
import type { AppDeps } from '../context'
import { type Answer, refuse } from '../http/answer'
import { decodeCursor, encodeCursor } from './cursor'
import { type ListKind, listItems } from './items.sql'
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
  const parsed = itemListQuerySchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const field = issue.path.join('.')
    return refuse(400, 'invalid_query', `${field}: ${issue.message}`, field)
  }
  const ward = unknownWard(deps.city.profile, parsed.data.ward)
  if (ward) return refuse(400, 'invalid_query', ward, 'ward')
  const unit = unitOf(principal.role)
  if (unit && parsed.data.unit && parsed.data.unit !== unit)
    return refuse(403, 'forbidden', `a unit sees only its own ${kind} (${unit})`, 'unit')
  // A unit reads its own items only, with the reporter's contact it needs (docs/design.md §5).
  const query = unit ? { ...parsed.data, unit } : parsed.data
  const after = query.cursor ? decodeCursor(query.cursor) : null
  if (query.cursor && !after)
    return refuse(400, 'invalid_query', 'cursor: not a cursor of this list', 'cursor')
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
