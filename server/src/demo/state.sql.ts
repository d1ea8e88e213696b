import type { Sql } from '../db/connection'
import type { DemoRun } from './simulator'

export type DemoState = { seed: number; epoch: Date; reachedAt: Date | null }

/**
 * What the demo remembers between starts: how far its city has been sent, and the runs (with
 * their rates) whose items may still change. The simulator and the feeds never see the database;
 * this store is the demo's only state, and everything it sends goes through the public ingest.
 */
export type DemoStore = {
  loadOrCreate(seed: number, epoch: Date): Promise<DemoState>
  markReached(at: Date): Promise<void>
  runsSince(since: Date): Promise<DemoRun[]>
  startRun(run: DemoRun): Promise<number>
  runReached(id: number, at: Date): Promise<void>
}

/** The demo's store in its own two tables (`demo_state`, `demo_runs`), for one city profile. */
export function demoStore(sql: Sql, profile: string): DemoStore {
  return {
    loadOrCreate: (seed, epoch) => loadOrCreateState(sql, profile, seed, epoch),
    markReached: (at) => markReached(sql, profile, at),
    runsSince: (since) => runsSince(sql, profile, since),
    startRun: (run) => startRun(sql, profile, run),
    runReached: (id, at) => runReached(sql, id, at),
  }
}

/** The city's demo state, created with `epoch` on the first start. */
async function loadOrCreateState(sql: Sql, profile: string, seed: number, epoch: Date): Promise<DemoState> {
  await sql`insert into demo_state (profile, seed, epoch) values (${profile}, ${seed}, ${epoch})
            on conflict (profile) do nothing`
  const [row] = await sql<DemoState[]>`
    select seed, epoch, reached_at as "reachedAt" from demo_state where profile = ${profile}`
  return row!
}

/** Everything up to `at` has been sent (never moves backwards). */
async function markReached(sql: Sql, profile: string, at: Date): Promise<void> {
  await sql`update demo_state set reached_at = greatest(coalesce(reached_at, ${at}), ${at}), updated_at = now()
            where profile = ${profile}`
}

/** Runs that may still have items changing after `since`. */
async function runsSince(sql: Sql, profile: string, since: Date): Promise<DemoRun[]> {
  const rows = await sql<{ from: Date; to: Date; rate: number; storm: boolean }[]>`
    select started_at as "from", reached_at as "to", rate, storm from demo_runs
    where profile = ${profile} and reached_at > ${since} order by started_at`
  return rows.map((r) => ({ from: r.from.getTime(), to: r.to.getTime(), rate: r.rate, storm: r.storm }))
}

async function startRun(sql: Sql, profile: string, run: DemoRun): Promise<number> {
  const [row] = await sql<{ id: number }[]>`
    insert into demo_runs (profile, started_at, reached_at, rate, storm)
    values (${profile}, ${new Date(run.from)}, ${new Date(run.from)}, ${run.rate}, ${run.storm}) returning id`
  return row!.id
}

async function runReached(sql: Sql, id: number, at: Date): Promise<void> {
  await sql`update demo_runs set reached_at = greatest(reached_at, ${at}) where id = ${id}`
}
