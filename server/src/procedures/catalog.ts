import type { ProcedureCatalog } from '@citydeck/shared'
import type { RoleGrant } from '../access/middleware'
import type { Sql } from '../db/connection'
import { procedureCatalog } from './catalog.sql'

/** Who may read the catalog: its route, and a snapshot freezing names for its dossiers. */
export const catalogReaders: readonly RoleGrant[] = ['leader', 'admin', 'unit:*']

/** The catalog as the API answers it. */
export async function readProcedureCatalog(sql: Sql): Promise<ProcedureCatalog> {
  const rows = await procedureCatalog(sql)
  return {
    items: rows.map((r) => ({
      code: r.code,
      name: r.name,
      field: r.field,
      level: r.level,
      ...(r.unit ? { unit: r.unit } : {}),
    })),
  }
}
