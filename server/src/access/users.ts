import type { Sql } from '../db/connection'
import { hashPassword } from './users-password'

/** People log in as leaders, admins or a unit's staff (`unit:<code>`); walls and feeds use tokens. */
export type UserRole = 'leader' | 'admin' | `unit:${string}`
export function isUserRole(role: string): role is UserRole {
  return role === 'leader' || role === 'admin' || /^unit:[A-Za-z0-9._-]{1,64}$/.test(role)
}

export type UserRecord = {
  id: number
  name: string
  role: UserRole
  passwordHash: string
  disabledAt: Date | null
}

/** Creates a user, or replaces the role and password of an existing one (a reset). */
export async function upsertUser(
  sql: Sql,
  input: { name: string; role: UserRole; password: string },
): Promise<{ id: number; created: boolean }> {
  const passwordHash = await hashPassword(input.password)
  const [row] = await sql<{ id: number; created: boolean }[]>`
    insert into users (name, role, password_hash) values (${input.name}, ${input.role}, ${passwordHash})
    on conflict (name) do update
      set role = excluded.role, password_hash = excluded.password_hash, disabled_at = null
    returning id, (xmax = 0) as created`
  return row!
}

export async function findUser(sql: Sql, name: string): Promise<UserRecord | null> {
  const [row] = await sql<UserRecord[]>`
    select id, name, role, password_hash as "passwordHash", disabled_at as "disabledAt"
    from users where name = ${name}`
  return row ?? null
}

export async function listUsers(sql: Sql): Promise<Array<Omit<UserRecord, 'passwordHash'>>> {
  return sql`select id, name, role, disabled_at as "disabledAt" from users order by name`
}

/** Disables a user and ends their open sessions. */
export async function disableUser(sql: Sql, name: string): Promise<boolean> {
  return sql.begin(async (tx) => {
    const rows =
      await tx`update users set disabled_at = now() where name = ${name} and disabled_at is null returning id`
    await tx`update sessions set revoked_at = now() where subject = ${name} and token_id is null and revoked_at is null`
    return rows.length > 0
  }) as Promise<boolean>
}
