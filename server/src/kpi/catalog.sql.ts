import type { FullOnlineDossiers } from '@citydeck/shared'
import type { Sql } from '../db/connection'
import type { KpiWindow } from './compute'
import type { KpiFilters } from './rollup-reads.sql'

/** Procedure catalog counts "now" (docs/design.md §3): not narrowed by the window or the filters. */
export type CatalogCounts = {
  total: number
  fullOnline: number
  partialOnline: number
  nationalPortal: number
}

export function catalogCountsQuery(sql: Sql) {
  return sql`
    select count(*)::bigint as total,
           count(*) filter (where level = 'full')::bigint as "fullOnline",
           count(*) filter (where level = 'partial')::bigint as "partialOnline",
           count(*) filter (where national_portal)::bigint as "nationalPortal"
    from procedures`
}

export async function catalogCounts(sql: Sql): Promise<CatalogCounts> {
  const [row] = await sql<[CatalogCounts]>`${catalogCountsQuery(sql)}`
  return row
}

/** Catalog counts per procedure code, with each procedure's name and field (lĩnh vực). */
export async function catalogByProcedure(
  sql: Sql,
): Promise<Array<CatalogCounts & { code: string; name: string; field: string }>> {
  return sql`
    select code, min(name) as name, min(field) as field, count(*)::bigint as total,
           count(*) filter (where level = 'full')::bigint as "fullOnline",
           count(*) filter (where level = 'partial')::bigint as "partialOnline",
           count(*) filter (where national_portal)::bigint as "nationalPortal"
    from procedures group by code order by code`
}

/**
 * Dossiers received in `[from, to)` whose procedure the catalog offers fully online, and of them
 * those filed online (shared `FullOnlineDossiers`). From the raw rows (the rollups are not split
 * by procedure), over the `dossiers_received_at` index range of the window; a code missing from
 * the catalog does not count. `category` narrows tickets only, so it is not applied here.
 */
export async function fullOnlineDossiers(sql: Sql, w: KpiWindow, f: KpiFilters): Promise<FullOnlineDossiers> {
  const [row] = await sql<[{ received: number; online: number }]>`
    select count(*)::int as received, count(*) filter (where d.channel = 'online')::int as online
    from dossiers d
    where d.received_at >= ${w.from} and d.received_at < ${w.to}
      and d.procedure_code in (select code from procedures where level = 'full')
      ${f.ward !== undefined ? sql`and d.ward_code = ${f.ward}` : sql``}
      ${f.unit !== undefined ? sql`and d.unit = ${f.unit}` : sql``}`
  return { ...row, rate: row.received === 0 ? null : row.online / row.received }
}
