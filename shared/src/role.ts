/**
 * A role (access.ts has the rules and the schema) and the unit it acts for. Without zod: the
 * client's entry and router guard read it, and importing it must not bring the schemas along.
 */
export type Role = 'admin' | 'leader' | 'display' | `feed:${string}` | `unit:${string}`

/** The unit a `unit:<code>` role acts for, or null for other roles. */
export function unitOf(role: Role): string | null {
  return role.startsWith('unit:') ? role.slice('unit:'.length) : null
}
