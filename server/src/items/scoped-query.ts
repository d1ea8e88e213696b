import { type CityProfile, unitOf } from '@citydeck/shared'
import type { z } from 'zod'
import type { Principal } from '../access/principal'
import { unknownWard } from '../city/profile'
import { type Answer, refuse } from '../http/answer'
import { type Cursor, decodeCursor } from './cursor'

type ListQuery = { ward?: string; unit?: string; cursor?: string }

/**
 * A list's query (tickets, dossiers, tasks) as `principal` may ask it: parsed, its ward one of
 * the city's, a unit held to its own items (`unit` set to it), its cursor one of this list's.
 * `what` names the items in a unit's refusal.
 */
export function scopedListQuery<S extends z.ZodType<ListQuery>>(
  schema: S,
  raw: Record<string, string | undefined>,
  profile: CityProfile,
  principal: Pick<Principal, 'role'>,
  what: string,
): Answer<{ query: z.infer<S>; after: Cursor | null; unit: string | null }> {
  const parsed = schema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const field = issue.path.join('.')
    return refuse(400, 'invalid_query', `${field}: ${issue.message}`, field)
  }
  const ward = unknownWard(profile, parsed.data.ward)
  if (ward) return refuse(400, 'invalid_query', ward, 'ward')
  const unit = unitOf(principal.role)
  if (unit && parsed.data.unit && parsed.data.unit !== unit)
    return refuse(403, 'forbidden', `a unit sees only its own ${what} (${unit})`, 'unit')
  const query = unit ? { ...parsed.data, unit } : parsed.data
  const after = query.cursor ? decodeCursor(query.cursor) : null
  if (query.cursor && !after)
    return refuse(400, 'invalid_query', 'cursor: not a cursor of this list', 'cursor')
  return { ok: true, body: { query, after, unit } }
}
