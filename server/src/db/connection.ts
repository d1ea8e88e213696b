import postgres from 'postgres'
import type { Config } from '../config'
import { ConfigError } from '../config'
import { logger } from '../observability/logger'
import { runningEmbeddedCluster, startEmbeddedPostgres } from './embedded'

export type Sql = postgres.Sql
/** What runs a query: the pool, a transaction or a reserved connection. */
export type Queryable = postgres.ISql
/** A postgres.js SQL fragment, composed into a larger statement. */
export type Fragment = postgres.PendingQuery<postgres.Row[]>
export type Database = {
  sql: Sql
  kind: 'embedded' | 'external'
  /**
   * Another pool on the same database, for work that must never queue behind the main pool's
   * (the live tail, health and KPI reads); closed with the database.
   */
  pool: (purpose: string, max: number, connectTimeoutSeconds?: number) => Sql
  /** Closes the pools, then stops the embedded cluster if there is one. */
  close: () => Promise<void>
  /** Why the embedded PostgreSQL is not running (its process died and is being restarted), or null. */
  trouble: () => string | null
}

/** Connections in the server's pool. */
const poolSize = 10

/**
 * The postgres.js pool, with the same options for the server, tests and CLIs. `keepOpen` (the
 * server) never closes idle connections, so that a quiet minute does not make the next burst
 * of requests wait for new ones (see openEveryConnection).
 */
export function createPool(
  url: string,
  options: { max?: number; keepOpen?: boolean; purpose?: string; connectTimeoutSeconds?: number } = {},
): Sql {
  return postgres(url, {
    max: options.max ?? poolSize,
    idle_timeout: options.keepOpen ? undefined : 30,
    // Short: while the database is away, nothing should wait long for a connection (docs/design.md §11).
    connect_timeout: options.connectTimeoutSeconds ?? 2,
    // postgres.js waits before reconnecting after each failed attempt, by default up to 20 s
    // after ten or so: after an outage of a few seconds, a pool would stay away for that long
    // after the database was back, and queries queued on it would hang as long. At most 1 s.
    backoff: reconnectDelaySeconds,
    onnotice: () => {},
    connection: {
      // The pid tells this process's connections from its siblings' (the pool metrics count them).
      application_name: `${options.purpose ? `citydeck-${options.purpose}` : 'citydeck'}/${process.pid}`,
      // No JIT: citydeck's statements run in milliseconds, and compiling one (the KPI statements,
      // whose many small parts add up to a high plan cost) took 300-700 ms for a 40 ms query.
      jit: 'off',
    },
    types: {
      // bigint (change-log seq, counts) as JS numbers: they stay far below 2^53.
      bigint: { to: 20, from: [20], serialize: (x: number) => x.toString(), parse: (x: string) => Number(x) },
    },
  })
}

/** Seconds before a connection's next attempt after `retries` failed ones: 0.1, 0.2, 0.4, … up to 1. */
export function reconnectDelaySeconds(retries: number): number {
  return Math.min(0.1 * 2 ** retries, 1)
}

/**
 * Opens the database: `DATABASE_URL` when set, the embedded PostgreSQL under `DATA_DIR`
 * otherwise. With `shareRunning` (command-line tools), an embedded cluster that a running
 * server already serves is used as it is, and left running.
 */
export async function openDatabase(
  config: Config,
  options: { shareRunning?: boolean; keepOpen?: boolean } = {},
): Promise<Database> {
  const others: Sql[] = []
  const pools = (url: string) => ({
    sql: createPool(url, { keepOpen: options.keepOpen }),
    pool: (purpose: string, max: number, connectTimeoutSeconds?: number) => {
      const extra = createPool(url, { max, keepOpen: options.keepOpen, purpose, connectTimeoutSeconds })
      others.push(extra)
      return extra
    },
    endAll: (sql: Sql) => Promise.all([sql, ...others].map((p) => p.end({ timeout: 5 }))).then(() => {}),
  })
  if (config.DATABASE_URL) {
    const { sql, pool, endAll } = pools(config.DATABASE_URL)
    await checkReachable(sql, 'DATABASE_URL')
    return { sql, kind: 'external', pool, close: () => endAll(sql), trouble: () => null }
  }
  const running = options.shareRunning ? await runningEmbeddedCluster(config.DATA_DIR) : null
  const cluster =
    running ?? (await startEmbeddedPostgres({ dataDir: config.DATA_DIR, port: config.EMBEDDED_PG_PORT }))
  const { sql, pool, endAll } = pools(cluster.url('citydeck'))
  try {
    await checkReachable(sql, 'the embedded PostgreSQL')
  } catch (error) {
    await cluster.stop()
    throw error
  }
  return {
    sql,
    kind: 'embedded',
    pool,
    trouble: cluster.trouble,
    close: async () => {
      await endAll(sql)
      if (running) return
      await cluster.stop()
      logger.info('embedded PostgreSQL stopped')
    },
  }
}

/**
 * Opens all of the pool's connections now (postgres.js opens one per query in flight, up to its
 * maximum), before any request needs them: a new connection costs a password handshake and a
 * backend with cold caches, tens of milliseconds on a busy machine. The ingest bench's slowest
 * single-item requests came exactly when the pool grew under load.
 */
export async function openEveryConnection(sql: Sql): Promise<void> {
  await Promise.all(Array.from({ length: poolSize }, () => sql`select 1`))
}

async function checkReachable(sql: Sql, what: string): Promise<void> {
  try {
    await sql`select 1`
  } catch (error) {
    await sql.end({ timeout: 1 }).catch(() => {})
    const reason = (error as Error).message || String(error)
    throw new ConfigError(
      `cannot connect to ${what}: ${reason}. Check the URL, that the server runs, and its credentials`,
    )
  }
}
