import type { Queryable } from './connection'

/** When a table's planner statistics count as stale: rows written since its last ANALYZE. */
export type StaleRule = {
  /** At least this many rows inserted, updated or deleted… */
  minRows: number
  /** …and at least this share of the rows it had when last analyzed (0 on a never-analyzed table). */
  share: number
}

/**
 * The current schema's tables written past `rule` since their last ANALYZE, most written first.
 * From PostgreSQL's own activity counters, so every writer counts (ingest, CSV import, alerts
 * raised, retention), in every process; they lag a backend's last writes by a second or so.
 */
export async function staleTables(sql: Queryable, rule: StaleRule): Promise<string[]> {
  const rows = await sql<{ table: string }[]>`
    select s.relname as table
    from pg_stat_user_tables s join pg_class c on c.oid = s.relid
    where s.schemaname = current_schema()
      and s.n_mod_since_analyze >= greatest(${rule.minRows}::float8, ${rule.share}::float8 * greatest(c.reltuples, 0))
    order by s.n_mod_since_analyze desc`
  return rows.map((r) => r.table)
}

/** ANALYZE one table; skipped when another process (or autovacuum) is analyzing it right now. */
export async function analyzeTable(sql: Queryable, table: string): Promise<void> {
  await sql`analyze (skip_locked) ${sql(table)}`
}
