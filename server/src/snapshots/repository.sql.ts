import type { LeaderFilters, LeaderView, LeaderViewData } from '@citydeck/shared'
import type { Sql } from '../db/connection'

export type SnapshotRow = {
  id: string
  view: LeaderView
  filters: LeaderFilters
  title: string | null
  data: LeaderViewData
  createdBy: string | null
  createdAt: Date
  expiresAt: Date | null
  revokedAt: Date | null
}

const columns = (sql: Sql) => sql`id, view, filters, title, data, created_by as "createdBy",
  created_at as "createdAt", expires_at as "expiresAt", revoked_at as "revokedAt"`

export async function insertSnapshot(
  sql: Sql,
  row: Pick<
    SnapshotRow,
    'id' | 'view' | 'filters' | 'title' | 'data' | 'createdBy' | 'expiresAt' | 'createdAt'
  >,
): Promise<void> {
  await sql`
    insert into snapshots (id, view, filters, title, data, created_by, created_at, expires_at)
    values (${row.id}, ${row.view}, ${sql.json(row.filters)}, ${row.title}, ${sql.json(row.data)},
            ${row.createdBy}, ${row.createdAt}, ${row.expiresAt})`
}

export async function findSnapshot(sql: Sql, id: string): Promise<SnapshotRow | null> {
  const [row] = await sql<SnapshotRow[]>`select ${columns(sql)} from snapshots where id = ${id}`
  return row ?? null
}

/** The newest snapshots first, without their (large) data. */
export async function listSnapshots(sql: Sql, limit = 100): Promise<Array<Omit<SnapshotRow, 'data'>>> {
  return sql`
    select id, view, filters, title, created_by as "createdBy", created_at as "createdAt",
           expires_at as "expiresAt", revoked_at as "revokedAt"
    from snapshots order by created_at desc limit ${limit}`
}

export async function revokeSnapshot(sql: Sql, id: string): Promise<boolean> {
  const rows =
    await sql`update snapshots set revoked_at = now() where id = ${id} and revoked_at is null returning id`
  return rows.length > 0
}
