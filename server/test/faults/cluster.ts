import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createPool, type Sql } from '../../src/db/connection'
import { type EmbeddedCluster, startEmbeddedPostgres } from '../../src/db/embedded'
import { freePort } from '../../src/free-port'

/**
 * A throwaway PostgreSQL that a fault case owns: its own cluster in a temporary folder on a
 * port of its own, stopped and started by the case (never the shared server on 5432). Restarts
 * keep the port and the data, so a server's DATABASE_URL stays valid across them.
 */
export type FaultCluster = {
  /** URL of the `citydeck` database on it. */
  url: string
  /** Fast shutdown (as `pg_ctl -m fast stop`): sessions are ended, the data stays. */
  stop: () => Promise<void>
  /** Starts it again on the same port and data. */
  start: () => Promise<void>
  /** A pool on it, for the case's own reads (closed with `remove`). */
  sql: () => Sql
  /** Stops it if running and deletes its folder. */
  remove: () => Promise<void>
}

export async function startFaultCluster(): Promise<FaultCluster> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'citydeck-faults-pg-'))
  const port = await freePort()
  let running: EmbeddedCluster | null = await startEmbeddedPostgres({ dataDir, port })
  const url = running.url('citydeck')
  let pool: Sql | null = null
  const cluster: FaultCluster = {
    url,
    stop: async () => {
      await running?.stop()
      running = null
    },
    start: async () => {
      running ??= await startEmbeddedPostgres({ dataDir, port })
    },
    sql: () => {
      pool ??= createPool(url, { max: 2 })
      return pool
    },
    remove: async () => {
      await pool?.end({ timeout: 1 }).catch(() => {})
      await cluster.stop()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
  return cluster
}

/** The postmaster's pid of the embedded cluster under `dataDir` (a server's `DATA_DIR`), or null. */
export async function postmasterPid(clusterDir: string): Promise<number | null> {
  const text = await readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8').catch(() => '')
  const pid = Number(text.split('\n')[0])
  return pid > 0 ? pid : null
}
