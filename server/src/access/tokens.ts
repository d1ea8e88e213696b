import type { Role } from '@citydeck/shared'
import type { Sql } from '../db/connection'
import { logger } from '../observability/logger'
import { hashSecret, newSecret } from './secrets'

const log = logger.child({ module: 'tokens' })

export type TokenRecord = {
  id: number
  role: Role
  label: string | null
  seeded: boolean
  createdAt: Date
  lastUsedAt: Date | null
  revokedAt: Date | null
}

const columns = (sql: Sql) =>
  sql`id, role, label, seeded, created_at as "createdAt", last_used_at as "lastUsedAt", revoked_at as "revokedAt"`

/** Issues a token; the secret is returned once and never stored. */
export async function issueToken(sql: Sql, input: { role: Role; label?: string | null }) {
  const secret = newSecret('cd_')
  const [row] = await sql<{ id: number }[]>`
    insert into access_tokens (role, label, secret_hash)
    values (${input.role}, ${input.label ?? null}, ${hashSecret(secret)}) returning id`
  return { id: row!.id, secret }
}

/**
 * The live token a secret belongs to, or null (unknown or revoked). One round trip: it reads
 * the token and, at most once a minute, touches last_used_at, so hot paths rarely write.
 */
export async function resolveToken(sql: Sql, secret: string): Promise<TokenRecord | null> {
  const [row] = await sql<TokenRecord[]>`
    with live as (
      select id, role, label, seeded, created_at, last_used_at, revoked_at from access_tokens
      where secret_hash = ${hashSecret(secret)} and revoked_at is null),
    touched as (
      update access_tokens t set last_used_at = now() from live
      where t.id = live.id and (live.last_used_at is null or live.last_used_at < now() - interval '1 minute')
      returning t.last_used_at)
    select id, role, label, seeded, created_at as "createdAt",
      coalesce((select last_used_at from touched), last_used_at) as "lastUsedAt", revoked_at as "revokedAt"
    from live`
  return row ?? null
}

export async function listTokens(sql: Sql): Promise<TokenRecord[]> {
  return sql<TokenRecord[]>`select ${columns(sql)} from access_tokens order by id`
}

/** Revokes a token and, with it, every session opened with it. */
export async function revokeToken(sql: Sql, id: number): Promise<boolean> {
  return sql.begin(async (tx) => {
    const rows =
      await tx`update access_tokens set revoked_at = now() where id = ${id} and revoked_at is null returning id`
    await tx`update sessions set revoked_at = now() where token_id = ${id} and revoked_at is null`
    return rows.length > 0
  }) as Promise<boolean>
}

/**
 * Seeds `API_TOKENS` (`role=secret` pairs, comma-separated) at start-up. A listed secret that is
 * not stored yet becomes a token; one already stored keeps its row, and a revoked one stays
 * revoked (docs/design.md §5: the environment seeds, it does not resurrect). Seeded tokens no longer
 * listed are revoked. A listed secret that stays revoked is named (by role) in a warning.
 */
export async function seedTokens(sql: Sql, pairs: Array<{ role: Role; secret: string }>): Promise<void> {
  const stillRevoked = await sql.begin(async (tx) => {
    const hashes = pairs.map((p) => hashSecret(p.secret))
    const stillRevoked: Role[] = []
    for (const [i, pair] of pairs.entries()) {
      const [row] = await tx<{ revoked: boolean }[]>`
        insert into access_tokens (role, label, secret_hash, seeded)
        values (${pair.role}, 'API_TOKENS', ${hashes[i]!}, true)
        on conflict (secret_hash) do update set role = excluded.role
        returning revoked_at is not null as revoked`
      if (row?.revoked) stillRevoked.push(pair.role)
    }
    await tx`
      update access_tokens set revoked_at = now()
      where seeded and revoked_at is null
        and encode(secret_hash, 'hex') <> all(${hashes.map((h) => h.toString('hex'))}::text[])`
    return stillRevoked
  })
  if (stillRevoked.length) {
    log.warn(
      { roles: stillRevoked },
      'API_TOKENS lists revoked tokens: they stay revoked; give those roles new secrets',
    )
  }
}
