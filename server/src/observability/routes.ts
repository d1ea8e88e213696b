import { timingSafeEqual } from 'node:crypto'
import type { Health } from '@citydeck/shared'
import { type Context, Hono, type MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import { type AccessEnv, requireRole } from '../access/middleware'
import { bearerFrom, resolvePrincipal } from '../access/principal'
import { hashSecret } from '../access/secrets'
import { sessionCookie } from '../access/sessions'
import type { AppDeps } from '../context'
import { migrationStatus } from '../db/migrate'

const startedAt = new Date()

export type HealthStatus = 'up' | 'degraded' | 'down'
export type DatabaseProbe =
  | { status: 'up'; latencyMs: number; version: string; migrations: { applied: string[]; pending: string[] } }
  | { status: 'down'; error: string }

/** A probe slower than this still works, but the server is then `degraded`. */
const slowProbeMs = 1000

/** How long health may wait for the database: it answers within 1 s in every state (docs/design.md §11). */
const probeBudgetMs = 700

/** `promise`'s value, or `fallback` once `ms` have passed without one. */
function within<T>(ms: number, promise: Promise<T>, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms)
  })
  return Promise.race([promise, late]).finally(() => clearTimeout(timer))
}

/**
 * The one database probe behind health: reachable, how fast, which migrations are applied. Known
 * to be away (the database watch): down at once; reachable but not answering within the budget:
 * up and slow, so degraded. Reads go through the read pool, which ingest cannot fill.
 */
export async function probeDatabase(deps: Pick<AppDeps, 'readSql' | 'database'>): Promise<DatabaseProbe> {
  if (!deps.database.isUp) return { status: 'down', error: deps.database.status.reason ?? 'unreachable' }
  const started = performance.now()
  const probe = (async (): Promise<DatabaseProbe> => {
    try {
      const [row] = await deps.readSql<
        { version: string }[]
      >`select current_setting('server_version') as version`
      const latencyMs = Math.round((performance.now() - started) * 10) / 10
      return {
        status: 'up',
        latencyMs,
        version: row!.version,
        migrations: await migrationStatus(deps.readSql),
      }
    } catch (error) {
      return { status: 'down', error: (error as Error).message }
    }
  })()
  return within(probeBudgetMs, probe, {
    status: 'up',
    latencyMs: slowProbeMs + 1,
    version: 'unknown (no answer within the health budget)',
    migrations: { applied: [], pending: [] },
  })
}

/** down: no database; degraded: it answers, but slowly or with migrations this process lacks. */
export function healthStatus(probe: DatabaseProbe): HealthStatus {
  if (probe.status === 'down') return 'down'
  return probe.latencyMs > slowProbeMs || probe.migrations.pending.length ? 'degraded' : 'up'
}

/** Whether the bearer is `METRICS_TOKEN` (compared in constant time, no database needed). */
function isMetricsToken(deps: Pick<AppDeps, 'config'>, bearer: string | null): boolean {
  const expected = deps.config.METRICS_TOKEN
  return !!expected && !!bearer && timingSafeEqual(hashSecret(bearer), hashSecret(expected))
}

/** Admin (token or session) or METRICS_TOKEN; false, never an error, when it cannot be told. */
async function mayReadOperations(c: Context, deps: Pick<AppDeps, 'readSql' | 'config'>): Promise<boolean> {
  const bearer = bearerFrom(c.req.header('authorization'))
  if (isMetricsToken(deps, bearer)) return true
  const principal = await within(
    probeBudgetMs,
    resolvePrincipal(deps.readSql, { bearer, cookie: getCookie(c, sessionCookie) }).catch(() => null),
    null,
  )
  return principal?.role === 'admin'
}

/**
 * `GET /api/v1/health` (docs/design.md §11): 200 `{status: "up" | "degraded"}`, 503 `{status: "down"}`.
 * An admin or the METRICS_TOKEN gets the details (process, database, migrations) with it.
 */
export function healthRoutes(deps: AppDeps) {
  return new Hono().get('/', async (c) => {
    const [probe, detailed] = await Promise.all([probeDatabase(deps), mayReadOperations(c, deps)])
    const status = healthStatus(probe)
    const code = status === 'down' ? 503 : 200
    c.header('Cache-Control', 'no-store')
    if (!detailed) return c.json({ status } satisfies Health, code)
    const processInfo = {
      pid: process.pid,
      uptimeSeconds: Math.round(process.uptime()),
      startedAt: startedAt.toISOString(),
      memoryMb: Math.round(process.memoryUsage().rss / 1048576),
      node: process.version,
    }
    if (probe.status === 'down') {
      const body: Health = {
        status,
        process: processInfo,
        database: { status: 'down', kind: deps.databaseKind, error: probe.error },
      }
      return c.json(body, code)
    }
    const { migrations, ...db } = probe
    const body: Health = {
      status,
      process: processInfo,
      database: { ...db, kind: deps.databaseKind },
      migrations,
    }
    return c.json(body, code)
  })
}

/** `GET /metrics` in Prometheus text format, for an admin token or the METRICS_TOKEN. */
export function metricsRoutes(deps: AppDeps) {
  const admins = requireRole(deps, 'admin')
  const scraper: MiddlewareHandler<AccessEnv> = (c, next) =>
    isMetricsToken(deps, bearerFrom(c.req.header('authorization'))) ? next() : admins(c, next)
  return new Hono<AccessEnv>().get('/', scraper, async (c) => {
    c.header('Content-Type', deps.metrics.registry.contentType)
    return c.body(await deps.metrics.registry.metrics())
  })
}
