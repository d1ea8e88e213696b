import { personalDataRoles, type Role } from '@citydeck/shared'
import type { Sql } from '../db/connection'
import { resolveSession } from './sessions'
import { resolveToken } from './tokens'

/** Who is calling: the role decides what they may do and see. */
export type Principal = { role: Role; label: string | null; via: 'token' | 'session'; tokenId: number | null }

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
      ? { role: session.role, label: session.subject, via: 'session', tokenId: session.tokenId }
      : null
  }
  return null
}

export function canSeePersonalData(principal: Principal | null | undefined): boolean {
  return !!principal && personalDataRoles.includes(principal.role)
}

/** `Authorization: Bearer <secret>` → the secret. */
export function bearerFrom(header: string | null | undefined): string | null {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i)
  return match ? match[1]! : null
}
