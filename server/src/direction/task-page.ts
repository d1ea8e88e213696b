import { type TaskPage, taskListQuerySchema } from '@citydeck/shared'
import type { RoleGrant } from '../access/middleware'
import type { Principal } from '../access/principal'
import type { AppDeps } from '../context'
import type { Answer } from '../http/answer'
import { encodeCursor } from '../items/cursor'
import { scopedListQuery } from '../items/scoped-query'
import { listTasks } from './tasks.sql'

/** Who reads tasks (docs/design.md §9): leaders and admins all, a unit only its own. */
export const taskReaders: readonly RoleGrant[] = ['leader', 'admin', 'unit:*']

/** `GET /api/v1/tasks`: one filtered, cursor-paged page as `principal` may see it. */
export async function readTaskPage(
  deps: Pick<AppDeps, 'sql' | 'city' | 'clock'>,
  principal: Pick<Principal, 'role'>,
  raw: Record<string, string | undefined>,
): Promise<Answer<TaskPage>> {
  const scoped = scopedListQuery(taskListQuerySchema, raw, deps.city.profile, principal, 'tasks')
  if (!scoped.ok) return scoped
  const { query, after } = scoped.body
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
