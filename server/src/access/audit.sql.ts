import type { AuditEntry } from '@citydeck/shared'
import type { JSONValue, TransactionSql } from 'postgres'
import type { Sql } from '../db/connection'

export type AuditRow = {
  actor: string | null
  role: string | null
  tokenId: number | null
  action: string
  target: string | null
  detail: { [key: string]: JSONValue | undefined }
  address: string | null
  at: Date | null
}

export async function insertAudit(sql: Sql | TransactionSql, row: AuditRow): Promise<void> {
  await sql`
    insert into audit_log (at, actor, role, token_id, action, target, detail, address)
    values (coalesce(${row.at}, now()), ${row.actor}, ${row.role}, ${row.tokenId}, ${row.action},
            ${row.target}, ${sql.json(row.detail)}, ${row.address})`
}

/** Newest first, `limit` entries with an id below `before`. */
export async function readAudit(sql: Sql, limit: number, before: number | undefined): Promise<AuditEntry[]> {
  const rows = await sql<Array<Omit<AuditEntry, 'at' | 'tokenId'> & { at: Date; tokenId: string | null }>>`
    select id::int, at, actor, role, token_id as "tokenId", action, target, detail, address
    from audit_log
    where ${before === undefined ? sql`true` : sql`id < ${before}`}
    order by id desc limit ${limit}`
  return rows.map((r) => ({
    ...r,
    at: r.at.toISOString(),
    tokenId: r.tokenId === null ? null : Number(r.tokenId),
  }))
}
