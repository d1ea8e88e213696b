import { EventEmitter } from 'node:events'
import type { Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { parseApiTokens } from './access/api-tokens'
import { seedTokens } from './access/tokens'
import { startEscalation } from './alerts/escalation'
import { createApp } from './app'
import { startBriefingSchedule } from './briefings/schedule'
import { secondsBehind } from './changelog/changelog.sql'
import { loadCity } from './city/profile'
import type { Config } from './config'
import { ConfigError } from './config'
import type { AppDeps } from './context'
import { DatabaseWatch } from './db/availability'
import { openDatabase, openEveryConnection } from './db/connection'
import { migrate } from './db/migrate'
import { startStatisticsKeeper } from './db/statistics'
import { type RunningDemo, startDemo } from './demo'
import { DomainEvents } from './events'
import { pendingRows, startKpiFolder } from './kpi/fold'
import { attachLive } from './live/socket'
import { logger } from './observability/logger'
import {
  countIngest,
  createMetrics,
  registerDatabaseMetrics,
  registerScrapedGauges,
} from './observability/metrics'
import { closeRenderBrowser } from './snapshots/render'

const log = logger.child({ module: 'server' })

export type RunningServer = {
  url: string
  port: number
  deps: AppDeps
  /** The demo city, when `DEMO` is on: its tokens (for the printed URLs) and history loading. */
  demo?: RunningDemo
  /** The alert escalation sweep (tests run it with their injected clock). */
  escalation: { sweep: () => Promise<void> }
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
    openTailPool: () => database.pool('tail', 1),
    database: new DatabaseWatch(database.pool('probe', 1, 1), undefined, database.trouble),
    databaseKind: database.kind,
    city,
    metrics,
    events: new DomainEvents(),
    clock: options.clock ?? (() => new Date()),
  }
  countIngest(metrics, deps.events)
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
  registerScrapedGauges(metrics, {
    tailLagSeconds: () => secondsBehind(deps.readSql, live.tail.delivered),
    kpiPendingRows: () => pendingRows(deps.readSql),
    databaseUp: () => deps.database.isUp,
  })
  // Folds the KPI events that ingest appends into the rollups, about every second.
  const kpiFolder = startKpiFolder(deps)
  // Overdue alerts nobody acknowledged escalate (docs/design.md §9).
  const escalation = startEscalation(deps)
  // The planner's statistics, current again within seconds of a bulk import (db/statistics.ts).
  const statistics = startStatisticsKeeper(deps)
  const { port } = httpServer.address() as AddressInfo
  const url = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`
  const briefings = startBriefingSchedule({
    deps,
    baseUrl: url,
  })
  // The demo feeds the server through its own public ingest API, so it starts once listening.
  const demo = config.DEMO ? await startDemo(deps, { url, progress: process.stdout.isTTY }) : undefined

  const requests = trackRequests(httpServer)
  let closing: Promise<void> | undefined
  const close = () => {
    closing ??= (async () => {
      // docs/design.md §11: stop accepting, let what is in flight finish within the grace, cut the rest.
      const graceMs = config.SHUTDOWN_GRACE_SECONDS * 1000
      requests.closing = true
      httpServer.close()
      httpServer.closeIdleConnections()
      await demo?.stop()
      briefings.stop()
      await closeRenderBrowser()
      await live.close()
      const cut = await requests.settled(graceMs)
      if (cut) log.warn({ cut }, 'requests still running at the end of the grace were cut')
      httpServer.closeAllConnections()
      await kpiFolder.stop()
      escalation.stop()
      statistics.stop()
      deps.database.close()
      await database.close()
    })()
    return closing
  }
  return { url, port, deps, demo, escalation, close }
}

/**
 * Counts the requests in flight, so shutdown can wait for them; once `closing`, every response
 * says `Connection: close`, so a keep-alive client busy with request after request lets go of
 * its connection after the one it is in.
 */
function trackRequests(server: HttpServer) {
  let inFlight = 0
  const idle = new EventEmitter()
  const state = {
    closing: false,
    /** Resolves once nothing is in flight, or after `ms` with how many still were. */
    settled: (ms: number) =>
      new Promise<number>((resolve) => {
        if (inFlight === 0) return resolve(0)
        const timer = setTimeout(() => resolve(inFlight), ms)
        idle.once('idle', () => {
          clearTimeout(timer)
          resolve(0)
        })
      }),
  }
  server.prependListener('request', (_req, res) => {
    inFlight++
    if (state.closing) res.setHeader('connection', 'close')
    res.once('close', () => {
      if (--inFlight === 0) idle.emit('idle')
    })
  })
  return state
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
