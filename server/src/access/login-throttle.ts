import type { Sql } from '../db/connection'

/**
 * Brute-force guard for logins: at most `perName` failures per user name and `perAddress` per
 * client address within a minute. Kept in PostgreSQL so several server processes share it.
 */
export const loginLimits = { perName: 5, perAddress: 20, windowSeconds: 60 } as const

export async function loginBlocked(sql: Sql, name: string, ip: string): Promise<boolean> {
  const [row] = await sql<{ byName: number; byIp: number }[]>`
    select count(*) filter (where name = ${name})::int as "byName",
           count(*) filter (where ip = ${ip})::int as "byIp"
    from login_failures
    where (name = ${name} or ip = ${ip})
      and at > now() - make_interval(secs => ${loginLimits.windowSeconds})`
  return row!.byName >= loginLimits.perName || row!.byIp >= loginLimits.perAddress
}

export async function recordLoginFailure(sql: Sql, name: string, ip: string): Promise<void> {
  await sql`insert into login_failures (name, ip) values (${name}, ${ip})`
  await sql`delete from login_failures where at < now() - interval '1 hour'`
}

/** A successful login forgives that name's earlier failures. */
export async function clearLoginFailures(sql: Sql, name: string): Promise<void> {
  await sql`delete from login_failures where name = ${name}`
}
