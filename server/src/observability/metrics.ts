import type { MiddlewareHandler } from 'hono'
import { routePath } from 'hono/route'
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { Sql } from '../db/connection'

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
  const socketConnections = new Gauge({
    name: 'citydeck_socket_connections',
    help: 'Open socket.io connections on the /live namespace',
    registers: [registry],
  })
  return { registry, httpRequests, httpDuration, socketConnections }
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

/** Database pool gauges, read from pg_stat_activity when Prometheus scrapes. */
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
    name: 'citydeck_db_connections',
    help: 'Connections to PostgreSQL opened by citydeck processes, by state',
    labelNames: ['state'] as const,
    registers: [metrics.registry],
    async collect() {
      this.reset()
      const rows = await sql<{ state: string | null; n: number }[]>`
        select state, count(*)::int as n from pg_stat_activity
        where application_name = 'citydeck' and datname = current_database() group by state`.catch(() => [])
      for (const row of rows) this.set({ state: row.state ?? 'unknown' }, row.n)
    },
  })
}
