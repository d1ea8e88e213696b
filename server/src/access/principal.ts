import { personalDataRoles, type Role } from '@citydeck/shared'
import type { Sql } from '../db/connection'
import { hashSecret } from './secrets'
import { resolveSession } from './sessions'
import { resolveToken } from './tokens'

/**
 * Who is calling: the role decides what they may do and see. `sessionHash` (hex) names the
 * session behind a cookie, so a revoked session can be found among live sockets.
 */
export type Principal = {
  role: Role
  label: string | null
  via: 'token' | 'session'
  tokenId: number | null
  sessionHash?: string
}

/**
 * Resolves a bearer token or a session cookie value (in that order) to a principal.
 * Shared by HTTP routes and the socket.io handshake so both apply the same rules.
 */
export async function resolvePrincipal(
  sql: Sql,
  credentials: { bearer?: string | null; cookie?: string | null },
): Promise<Principal | null> {
  if (credentials.bearer) {
    const token = await resolveToken(sql, credentials.bearer)
    return token ? { role: token.role, label: token.label, via: 'token', tokenId: token.id } : null
  }
  if (credentials.cookie) {
    const session = await resolveSession(sql, credentials.cookie)
    return session
      ? {
          role: session.role,
          label: session.subject,
          via: 'session',
          tokenId: session.tokenId,
          sessionHash: hashSecret(credentials.cookie).toString('hex'),
        }
      : null
  }
  return null
}

export function canSeePersonalData(principal: Pick<Principal, 'role'> | null | undefined): boolean {
  return !!principal && personalDataRoles.includes(principal.role)
}

/**
 * What a per-credential limit counts by (docs/design.md §5): the token, or the person behind a session
 * (all their sessions together).
 */
export function credentialOf(principal: Principal): string {
  if (principal.via === 'token' || principal.label === null) return `token:${principal.tokenId}`
  return `user:${principal.label}`
}

/** Of these live credentials, the ones revoked, expired or ended since (tokens by id, sessions by hash). */
export async function revokedAmong(
  sql: Sql,
  credentials: { tokenIds: number[]; sessionHashes: string[] },
): Promise<{ tokenIds: Set<number>; sessionHashes: Set<string> }> {
  const tokens = credentials.tokenIds.length
    ? await sql<{ id: number }[]>`
        select id from access_tokens where id = any(${credentials.tokenIds}::bigint[]) and revoked_at is not null`
    : []
  const sessions = credentials.sessionHashes.length
    ? await sql<{ hash: string }[]>`
        select encode(s.id_hash, 'hex') as hash from sessions s left join access_tokens t on t.id = s.token_id
        where s.id_hash in (select decode(h, 'hex') from unnest(${credentials.sessionHashes}::text[]) as h)
          and (s.revoked_at is not null or s.expires_at <= now() or t.revoked_at is not null)`
    : []
  return { tokenIds: new Set(tokens.map((t) => t.id)), sessionHashes: new Set(sessions.map((s) => s.hash)) }
}

/** `Authorization: Bearer <secret>` → the secret. */
export function bearerFrom(header: string | null | undefined): string | null {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i)
  return match ? match[1]! : null
}
