import type { Sql } from '../db/connection'

export type BriefingRow = {
  day: string
  snapshotId: string | null
  file: string | null
  status: 'running' | 'done' | 'failed'
  error: string | null
  startedAt: Date
  finishedAt: Date | null
}

/**
 * Claims a day's briefing for this process. The day is the primary key, so of several
 * processes woken by the same schedule only one gets the row. `retake` (the CLI) also takes
 * a finished or failed day again, but never one another process is producing right now.
 */
export async function claimBriefing(sql: Sql, day: string, retake: boolean): Promise<boolean> {
  const rows = retake
    ? await sql`
        insert into briefings (day) values (${day})
        on conflict (day) do update set status = 'running', error = null, started_at = now(), finished_at = null
          where briefings.status <> 'running' or briefings.started_at < now() - interval '10 minutes'
        returning day`
    : await sql`
        insert into briefings (day) values (${day})
        on conflict (day) do update set status = 'running', error = null, started_at = now()
          where briefings.status = 'failed'
        returning day`
  return rows.length > 0
}

export async function finishBriefing(
  sql: Sql,
  day: string,
  result: { snapshotId: string | null; file: string | null; error: string | null },
): Promise<void> {
  await sql`
    update briefings set snapshot_id = ${result.snapshotId}, file = ${result.file},
      status = ${result.error ? 'failed' : 'done'}, error = ${result.error}, finished_at = now()
    where day = ${day}`
}

export async function listBriefings(sql: Sql, limit = 60): Promise<BriefingRow[]> {
  return sql<BriefingRow[]>`
    select to_char(day, 'YYYY-MM-DD') as day, snapshot_id as "snapshotId", file, status, error,
           started_at as "startedAt", finished_at as "finishedAt"
    from briefings order by day desc limit ${limit}`
}

export async function findBriefing(sql: Sql, day: string): Promise<BriefingRow | null> {
  const [row] = await sql<BriefingRow[]>`
    select to_char(day, 'YYYY-MM-DD') as day, snapshot_id as "snapshotId", file, status, error,
           started_at as "startedAt", finished_at as "finishedAt"
    from briefings where day = ${day}`
  return row ?? null
}
