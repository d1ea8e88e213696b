import type { Sql } from '../db/connection'

export type LoginHistory = {
  /** Failures for this name from this address, and the latest one. */
  pairCount: number
  pairLast: Date | null
  /** Failures from this address for any name, and the latest one. */
  addressCount: number
  addressLast: Date | null
  /** This name has logged in from this address before. */
  known: boolean
}

/** One round trip: what the gate needs about (name, address) since `since`. */
export async function loginHistory(sql: Sql, name: string, ip: string, since: Date): Promise<LoginHistory> {
  const [row] = await sql<LoginHistory[]>`
    select count(*) filter (where f.name = ${name})::int as "pairCount",
           max(f.at) filter (where f.name = ${name}) as "pairLast",
           count(f.id)::int as "addressCount",
           max(f.at) as "addressLast",
           exists (select 1 from login_addresses a where a.name = ${name} and a.ip = ${ip}) as known
    from login_failures f
    where f.ip = ${ip} and f.at > ${since}`
  return row!
}

export async function insertLoginFailure(sql: Sql, name: string, ip: string, at: Date, forgetBefore: Date) {
  await sql`insert into login_failures (name, ip, at) values (${name}, ${ip}, ${at})`
  await sql`delete from login_failures where at < ${forgetBefore}`
}

/** A login that worked forgives this pair's failures (not the name's from elsewhere). */
export async function rememberLoginSuccess(sql: Sql, name: string, ip: string, at: Date) {
  await sql.begin(async (tx) => {
    await tx`delete from login_failures where name = ${name} and ip = ${ip}`
    await tx`
      insert into login_addresses (name, ip, last_success_at) values (${name}, ${ip}, ${at})
      on conflict (name, ip) do update set last_success_at = excluded.last_success_at`
  })
}
