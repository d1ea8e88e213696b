import { type TaskPage, taskListQuerySchema, unitOf } from '@citydeck/shared'
import type { RoleGrant } from '../access/middleware'
import type { Principal } from '../access/principal'
import { unknownWard } from '../city/profile'
import type { AppDeps } from '../context'
import { type Answer, refuse } from '../http/answer'
import { decodeCursor, encodeCursor } from '../items/cursor'
import { listTasks } from './tasks.sql'

/** Who reads tasks (docs/design.md §9): leaders and admins all, a unit only its own. */
export const taskReaders: readonly RoleGrant[] = ['leader', 'admin', 'unit:*']

/** `GET /api/v1/tasks`: one filtered, cursor-paged page as `principal` may see it. */
export async function readTaskPage(
  deps: Pick<AppDeps, 'sql' | 'city' | 'clock'>,
  principal: Pick<Principal, 'role'>,
  raw: Record<string, string | undefined>,
): Promise<Answer<TaskPage>> {
  const parsed = taskListQuerySchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const field = issue.path.join('.')
    return refuse(400, 'invalid_query', `${field}: ${issue.message}`, field)
  }
  const ward = unknownWard(deps.city.profile, parsed.data.ward)
  if (ward) return refuse(400, 'invalid_query', ward, 'ward')
  const unit = unitOf(principal.role)
  if (unit && parsed.data.unit && parsed.data.unit !== unit)
    return refuse(403, 'forbidden', `a unit sees only its own tasks (${unit})`, 'unit')
  const query = { ...parsed.data, unit: unit ?? parsed.data.unit }
  const after = query.cursor ? decodeCursor(query.cursor) : null
  if (query.cursor && !after)
    return refuse(400, 'invalid_query', 'cursor: not a cursor of this list', 'cursor')
  const rows = await listTasks(deps.sql, query, after, deps.clock())
  const items = rows.slice(0, query.limit)
  const last = items.at(-1)
  return {
    ok: true,
    body: {
      items,
      nextCursor:
        rows.length > query.limit && last
          ? encodeCursor({
              at: query.sort === 'dueAt' ? last.dueAt : last.issuedAt,
              source: last.source,
              ref: last.ref,
            })
          : null,
    },
  }
}
