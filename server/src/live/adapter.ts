import { createAdapter as createPostgresAdapter } from '@socket.io/postgres-adapter'
import pg from 'pg'
import type { AppDeps } from '../context'
import { logger } from '../observability/logger'
import type { LiveServer } from './types'

const log = logger.child({ module: 'live.adapter' })

/**
 * Shares room broadcasts (alerts) between server processes: Redis pub/sub when `REDIS_URL`
 * is set, else PostgreSQL NOTIFY through the database every process already uses, so a
 * multi-process deployment needs nothing more. Changes themselves do not go through it:
 * every process tails the change log for its own clients (see tail.ts).
 */
export async function useClusterAdapter(io: LiveServer, deps: AppDeps): Promise<() => Promise<void>> {
  if (deps.config.REDIS_URL) {
    // Loaded only when used: most deployments have no Redis and should not pay for its client.
    const [{ createClient }, { createAdapter: createRedisAdapter }] = await Promise.all([
      import('redis'),
      import('@socket.io/redis-adapter'),
    ])
    const pub = createClient({ url: deps.config.REDIS_URL })
    const sub = pub.duplicate()
    pub.on('error', () => {})
    sub.on('error', () => {})
    await Promise.all([pub.connect(), sub.connect()])
    io.adapter(createRedisAdapter(pub, sub, { key: deps.config.REDIS_PREFIX }))
    return async () => {
      await Promise.allSettled([pub.quit(), sub.quit()])
    }
  }
  // pg (which the adapter is written for) on the same database as postgres.js.
  const o = deps.sql.options
  const pass = (o as { pass?: unknown }).pass // typed null, holds the URL's password at run time
  const pool = new pg.Pool({
    host: o.host[0],
    port: o.port[0],
    database: o.database,
    user: o.user,
    password: typeof pass === 'string' ? pass : undefined,
    max: 2,
    application_name: `citydeck-adapter/${process.pid}`,
  })
  // The adapter keeps one client checked out for LISTEN without an 'error' listener; a dropped
  // connection (PostgreSQL restart) would then crash the process. It reconnects on 'end'.
  pool.on('error', (error) => log.warn({ err: error }, 'adapter pool connection lost'))
  pool.on('connect', (client) => {
    client.on('error', (error) => log.warn({ err: error }, 'adapter connection lost; it reconnects'))
  })
  io.adapter(createPostgresAdapter(pool, { channelPrefix: 'citydeck', tableName: 'socket_io_attachments' }))
  return async () => {
    // Called after io.close(), which closes the adapters and so releases their LISTEN client,
    // unless that client was still being set up (a stop right after the start): the adapter then
    // keeps it, and pool.end() would wait for it forever. Closing the adapters again releases it.
    const ended = pool.end()
    const again = setInterval(() => {
      for (const nsp of io._nsps.values()) nsp.adapter.close()
    }, 500)
    await ended.finally(() => clearInterval(again))
  }
}
