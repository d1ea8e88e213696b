import type { Role } from '@citydeck/shared'
import type { Sql } from '../db/connection'
import { hashSecret, newSecret } from './secrets'

export const sessionCookie = 'citydeck_session'

export type SessionRecord = { role: Role; subject: string | null; tokenId: number | null; expiresAt: Date }

/** Opens a session; the returned secret goes into the cookie and is stored only as a hash. */
export async function openSession(
  sql: Sql,
  input: { role: Role; tokenId?: number | null; subject?: string | null; maxAgeSeconds: number },
): Promise<{ secret: string; expiresAt: Date }> {
  const secret = newSecret()
  const [row] = await sql<{ expiresAt: Date }[]>`
    insert into sessions (id_hash, role, token_id, subject, expires_at)
    values (${hashSecret(secret)}, ${input.role}, ${input.tokenId ?? null}, ${input.subject ?? null},
            now() + make_interval(secs => ${input.maxAgeSeconds}))
    returning expires_at as "expiresAt"`
  return { secret, expiresAt: row!.expiresAt }
}

/** The live session behind a cookie value; a revoked token ends its sessions too. */
export async function resolveSession(sql: Sql, secret: string): Promise<SessionRecord | null> {
  const [row] = await sql<SessionRecord[]>`
    select s.role, s.subject, s.token_id as "tokenId", s.expires_at as "expiresAt"
    from sessions s left join access_tokens t on t.id = s.token_id
    where s.id_hash = ${hashSecret(secret)} and s.revoked_at is null and s.expires_at > now()
      and (s.token_id is null or t.revoked_at is null)`
  return row ?? null
}

export async function closeSession(sql: Sql, secret: string): Promise<void> {
  await sql`update sessions set revoked_at = now() where id_hash = ${hashSecret(secret)}`
}
