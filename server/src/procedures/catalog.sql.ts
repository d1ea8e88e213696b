import type { Queryable } from '../db/connection'

/** The catalog, one entry per procedure code (the newest version when sources repeat a code). */
export function procedureCatalog(sql: Queryable) {
  return sql<
    Array<{
      code: string
      name: string
      field: string
      level: 'full' | 'partial' | 'none'
      unit: string | null
    }>
  >`
    select distinct on (code) code, name, field, level, unit
    from procedures order by code, updated_at desc, source`
}
