import { z } from 'zod'
import type { Role } from './role'

export { type Role, unitOf } from './role'

/**
 * Roles (docs/design.md §5): `feed:<source>` ingests for that source only; `display` reads the live
 * picture without personal data; `unit:<code>` reads its own unit's tasks, tickets and dossiers
 * (with the reporter's contact) and reports on its tasks; `leader` adds lists, filters,
 * snapshots, exports, directives and acknowledgements; `admin` adds users, tokens, the audit log.
 */
export const roleSchema = z.union([
  z.enum(['admin', 'leader', 'display']),
  z.string().regex(/^feed:[A-Za-z0-9._-]{1,100}$/, 'a feed role is feed:<source>'),
  z.string().regex(/^unit:[A-Za-z0-9._-]{1,64}$/, 'a unit role is unit:<unit code>'),
])

/** Roles that may see personal data (a ticket's reporter). */
export const personalDataRoles: readonly Role[] = ['leader', 'admin']

/** `GET /api/v1/session` (and the answer to opening one): who the caller is. */
export const sessionInfoSchema = z
  .object({ role: roleSchema, label: z.string().nullable(), via: z.enum(['token', 'session']) })
  .meta({ id: 'SessionInfo', example: { role: 'leader', label: 'lan', via: 'session' } })
/** The role narrowed to `Role` (zod infers the `feed:`/`unit:` patterns as plain strings). */
export type SessionInfo = Omit<z.infer<typeof sessionInfoSchema>, 'role'> & { role: Role }
