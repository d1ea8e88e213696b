import { z } from 'zod'

/**
 * Roles (DESIGN §5): `feed:<source>` ingests for that source only; `display` reads the live
 * picture without personal data; `leader` adds lists, filters, snapshots and exports; `admin`
 * adds users, tokens and configuration.
 */
export const roleSchema = z.union([
  z.enum(['admin', 'leader', 'display']),
  z.string().regex(/^feed:[A-Za-z0-9._-]{1,100}$/, 'a feed role is feed:<source>'),
])
export type Role = 'admin' | 'leader' | 'display' | `feed:${string}`

/** Roles that may see personal data (a ticket's reporter). */
export const personalDataRoles: readonly Role[] = ['leader', 'admin']

/** `GET /api/v1/session`: who the caller is. */
export type SessionInfo = { role: Role; label: string | null; via: 'token' | 'session' }
