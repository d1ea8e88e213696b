import postgres from 'postgres'
import type { Config } from '../config'
import { ConfigError } from '../config'
import { logger } from '../observability/logger'
import { runningEmbeddedCluster, startEmbeddedPostgres } from './embedded'

export type Sql = postgres.Sql
export type Database = {
  sql: Sql
  kind: 'embedded' | 'external'
  /** Closes the pool, then stops the embedded cluster if there is one. */
  close: () => Promise<void>
}

/** Connections in the server's pool. */
const poolSize = 10

/**
 * The postgres.js pool, with the same options for the server, tests and CLIs. `keepOpen` (the
 * server) never closes idle connections, so that a quiet minute does not make the next burst
 * of requests wait for new ones (see openEveryConnection).
 */
export function createPool(url: string, options: { max?: number; keepOpen?: boolean } = {}): Sql {
  return postgres(url, {
    max: options.max ?? poolSize,
    idle_timeout: options.keepOpen ? undefined : 30,
    connect_timeout: 10,
    onnotice: () => {},
    connection: { application_name: 'citydeck' },
    types: {
      // bigint (change-log seq, counts) as JS numbers: they stay far below 2^53.
      bigint: { to: 20, from: [20], serialize: (x: number) => x.toString(), parse: (x: string) => Number(x) },
    },
  })
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
  const pool = (url: string) => createPool(url, { keepOpen: options.keepOpen })
  if (config.DATABASE_URL) {
    const sql = pool(config.DATABASE_URL)
    await checkReachable(sql, 'DATABASE_URL')
    return { sql, kind: 'external', close: () => sql.end({ timeout: 5 }) }
  }
  const running = options.shareRunning ? await runningEmbeddedCluster(config.DATA_DIR) : null
  const cluster =
    running ?? (await startEmbeddedPostgres({ dataDir: config.DATA_DIR, port: config.EMBEDDED_PG_PORT }))
  const sql = pool(cluster.url('citydeck'))
  try {
    await checkReachable(sql, 'the embedded PostgreSQL')
  } catch (error) {
    await cluster.stop()
    throw error
  }
  return {
    sql,
    kind: 'embedded',
    close: async () => {
      await sql.end({ timeout: 5 })
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
