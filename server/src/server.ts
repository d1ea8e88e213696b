import type { Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { parseApiTokens } from './access/api-tokens'
import { seedTokens } from './access/tokens'
import { createApp } from './app'
import { startBriefingSchedule } from './briefings/schedule'
import { loadCity } from './city/profile'
import type { Config } from './config'
import { ConfigError } from './config'
import type { AppDeps } from './context'
import { openDatabase, openEveryConnection } from './db/connection'
import { migrate } from './db/migrate'
import { type RunningDemo, startDemo } from './demo'
import { DomainEvents } from './events'
import { startKpiFolder } from './kpi/fold'
import { attachLive } from './live/socket'
import { createMetrics, registerDatabaseMetrics } from './observability/metrics'

export type RunningServer = {
  url: string
  port: number
  deps: AppDeps
  /** The demo city, when `DEMO` is on: its tokens (for the printed URLs) and history loading. */
  demo?: RunningDemo
  /** Stops accepting, drains open requests and sockets, closes the pool, stops embedded PostgreSQL. */
  close: () => Promise<void>
}

/** Starts citydeck: database, migrations, HTTP and socket.io on one port. */
export async function startServer(
  config: Config,
  options: { clock?: () => Date; shareRunningDatabase?: boolean } = {},
): Promise<RunningServer> {
  const city = loadCity(config)
  const seededTokens = parseApiTokens(config.API_TOKENS)
  const database = await openDatabase(config, { shareRunning: options.shareRunningDatabase, keepOpen: true })
  try {
    await migrate(database.sql)
    await seedTokens(database.sql, seededTokens)
    await openEveryConnection(database.sql)
  } catch (error) {
    await database.close()
    throw error
  }
  const metrics = createMetrics()
  registerDatabaseMetrics(metrics, database.sql)
  const deps: AppDeps = {
    config,
    sql: database.sql,
    readSql: database.pool('reads', 3),
    tailSql: database.pool('tail', 1),
    databaseKind: database.kind,
    city,
    metrics,
    events: new DomainEvents(),
    clock: options.clock ?? (() => new Date()),
  }
  const app = createApp(deps)

  let httpServer: HttpServer
  try {
    httpServer = await listen(app.fetch, config)
  } catch (error) {
    await database.close()
    throw error
  }
  let live: Awaited<ReturnType<typeof attachLive>>
  try {
    live = await attachLive(httpServer, deps)
  } catch (error) {
    httpServer.close()
    await database.close()
    throw error
  }
  // Folds the KPI events that ingest appends into the rollups, about every second.
  const kpiFolder = startKpiFolder(deps)
  const { port } = httpServer.address() as AddressInfo
  const url = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`
  const briefings = startBriefingSchedule({
    deps,
    internal: (p, headers) => fetch(`${url}${p}`, { headers }),
    baseUrl: url,
  })
  // The demo feeds the server through its own public ingest API, so it starts once listening.
  const demo = config.DEMO ? await startDemo(deps, { url, progress: process.stdout.isTTY }) : undefined

  let closing: Promise<void> | undefined
  const close = () => {
    closing ??= (async () => {
      await demo?.stop()
      briefings.stop()
      const drained = new Promise<void>((resolve) => httpServer.close(() => resolve()))
      await live.close()
      httpServer.closeIdleConnections()
      // Requests still running after 10 s are cut so shutdown always finishes.
      const cut = setTimeout(() => httpServer.closeAllConnections(), 10_000)
      await drained
      clearTimeout(cut)
      await kpiFolder.stop()
      await database.close()
    })()
    return closing
  }
  return { url, port, deps, demo, close }
}

function listen(fetch: Parameters<typeof serve>[0]['fetch'], config: Config): Promise<HttpServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port: config.PORT, hostname: config.HOST }) as HttpServer
    server.once('listening', () => resolve(server))
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new ConfigError(
            `port ${config.PORT} on ${config.HOST} is already in use: stop what uses it or set PORT`,
          ),
        )
      } else if (error.code === 'EACCES') {
        reject(
          new ConfigError(`not allowed to listen on ${config.HOST}:${config.PORT}: choose a PORT above 1024`),
        )
      } else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
        reject(new ConfigError(`HOST ${config.HOST} is not an address of this machine`))
      } else reject(error)
    })
  })
}
