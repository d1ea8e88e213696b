import { Hono } from 'hono'
import type { AppDeps } from '../context'
import { migrationStatus } from '../db/migrate'

const startedAt = new Date()

/** `GET /api/v1/health`: process, database and migration status; 503 when not ready. */
export function healthRoutes(deps: AppDeps) {
  return new Hono().get('/', async (c) => {
    const processInfo = {
      pid: process.pid,
      uptimeSeconds: Math.round(process.uptime()),
      startedAt: startedAt.toISOString(),
      memoryMb: Math.round(process.memoryUsage().rss / 1048576),
      node: process.version,
    }
    try {
      const started = performance.now()
      const [row] = await deps.sql<{ version: string }[]>`select current_setting('server_version') as version`
      const latencyMs = Math.round((performance.now() - started) * 10) / 10
      const migrations = await migrationStatus(deps.sql)
      const ok = migrations.pending.length === 0
      return c.json(
        {
          status: ok ? 'ok' : 'migrating',
          process: processInfo,
          database: { status: 'up', kind: deps.databaseKind, version: row!.version, latencyMs },
          migrations,
        },
        ok ? 200 : 503,
      )
    } catch (error) {
      return c.json(
        {
          status: 'down',
          process: processInfo,
          database: { status: 'down', kind: deps.databaseKind, error: (error as Error).message },
        },
        503,
      )
    }
  })
}

/** `GET /metrics` in Prometheus text format. */
export function metricsRoutes(deps: AppDeps) {
  return new Hono().get('/', async (c) => {
    c.header('Content-Type', deps.metrics.registry.contentType)
    return c.body(await deps.metrics.registry.metrics())
  })
}
