import type { Sql } from '../db/connection'

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
