import type { Role } from '@citydeck/shared'
import type { MiddlewareHandler } from 'hono'
import { routePath } from 'hono/route'
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { Sql } from '../db/connection'
import type { DomainEvents } from '../events'

/** `citydeck_ingest_items_total`, here once: the server's registry and the CSV import's file use it. */
export function ingestItemsCounter(registry: Registry) {
  return new Counter({
    name: 'citydeck_ingest_items_total',
    help: 'Feed items this process took in, by feed and outcome (created, updated, ignored, rejected), from every door',
    labelNames: ['feed', 'outcome'] as const,
    registers: [registry],
  })
}

/** The Prometheus registry and the instruments every module may use. */
export function createMetrics() {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'citydeck_' })
  const httpRequests = new Counter({
    name: 'citydeck_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  })
  const httpDuration = new Histogram({
    name: 'citydeck_http_request_duration_seconds',
    help: 'HTTP request duration by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  })
  const ingestItems = ingestItemsCounter(registry)
  const liveClients = new Gauge({
    name: 'citydeck_live_clients',
    help: 'Live (socket.io /live) clients connected to this process, by role',
    labelNames: ['role'] as const,
    registers: [registry],
  })
  const liveDroppedClients = new Counter({
    name: 'citydeck_live_dropped_clients_total',
    help: 'Live clients this process stopped sending to: slow (queued past LIVE_MAX_QUEUED_BYTES, resynced later) or revoked credentials',
    labelNames: ['reason'] as const,
    registers: [registry],
  })
  const alertsRaised = new Counter({
    name: 'citydeck_alerts_total',
    help: 'SLA alerts raised by this process (each alert is raised by exactly one process), by kind',
    labelNames: ['kind'] as const,
    registers: [registry],
  })
  return { registry, httpRequests, httpDuration, ingestItems, liveClients, liveDroppedClients, alertsRaised }
}
export type Metrics = ReturnType<typeof createMetrics>

/** Counts and times every request by its route pattern (not its raw path, to bound labels). */
export function httpMetrics(metrics: Metrics): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now()
    await next()
    const route =
      c.req.path.startsWith('/api/') || c.req.path.startsWith('/open311/') ? routePath(c) : 'static'
    metrics.httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) })
    metrics.httpDuration.observe({ method: c.req.method, route }, (performance.now() - started) / 1000)
  }
}

/** The live-client label of a role: `unit:<code>` counts as `unit`, so labels stay few. */
export function liveClientRole(role: Role): string {
  const colon = role.indexOf(':')
  return colon < 0 ? role : role.slice(0, colon)
}

/** Counts every committed and every refused feed item, whichever door it came by (feeds/ emits them). */
export function countIngest(metrics: Metrics, events: DomainEvents): void {
  events.on('feed.stored', ({ feed, created, updated, ignored }) => {
    if (created) metrics.ingestItems.inc({ feed, outcome: 'created' }, created)
    if (updated) metrics.ingestItems.inc({ feed, outcome: 'updated' }, updated)
    if (ignored) metrics.ingestItems.inc({ feed, outcome: 'ignored' }, ignored)
  })
  events.on('feed.rejected', ({ feed, count }) =>
    metrics.ingestItems.inc({ feed, outcome: 'rejected' }, count),
  )
}

/** Gauges read when Prometheus scrapes, each from the module that knows the figure. */
export function registerScrapedGauges(
  metrics: Metrics,
  read: {
    /** Age of the oldest change committed but not yet published by this process's live tail (0: none). */
    tailLagSeconds: () => Promise<number>
    /** KPI pending rows not yet folded into the rollups. */
    kpiPendingRows: () => Promise<number>
    /** Whether this process reaches its database now (its availability watch). */
    databaseUp: () => boolean
  },
): void {
  new Gauge({
    name: 'citydeck_database_up',
    help: 'Whether this process reaches PostgreSQL (1) or answers 503 database_unavailable (0)',
    registers: [metrics.registry],
    collect() {
      this.set(read.databaseUp() ? 1 : 0)
    },
  })
  new Gauge({
    name: 'citydeck_live_tail_lag_seconds',
    help: "Age of the oldest committed change this process's live tail has not yet published",
    registers: [metrics.registry],
    async collect() {
      this.set(await read.tailLagSeconds().catch(() => Number.NaN))
    },
  })
  new Gauge({
    name: 'citydeck_kpi_pending_rows',
    help: 'KPI pending rows waiting for the fold (all processes share them)',
    registers: [metrics.registry],
    async collect() {
      this.set(await read.kpiPendingRows().catch(() => Number.NaN))
    },
  })
}

/** Database pool gauges of this process, read from pg_stat_activity when Prometheus scrapes. */
export function registerDatabaseMetrics(metrics: Metrics, sql: Sql): void {
  const maxConnections = sql.options.max
  new Gauge({
    name: 'citydeck_db_pool_max',
    help: 'Maximum connections of this process pool',
    registers: [metrics.registry],
    collect() {
      this.set(maxConnections)
    },
  })
  new Gauge({
    name: 'citydeck_db_pool_connections',
    help: 'Connections to PostgreSQL held by this process, by state (active, idle, idle in transaction)',
    labelNames: ['state'] as const,
    registers: [metrics.registry],
    async collect() {
      this.reset()
      // Every pool of this process names its connections `citydeck…/<pid>` (db/connection.ts).
      const rows = await sql<{ state: string | null; n: number }[]>`
        select state, count(*)::int as n from pg_stat_activity
        where application_name like ${`citydeck%/${process.pid}`} and datname = current_database()
        group by state`.catch(() => [])
      for (const row of rows) this.set({ state: row.state ?? 'unknown' }, row.n)
    },
  })
}
