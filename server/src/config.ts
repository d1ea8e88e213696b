import { isIP } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'

/** The repository root, so `./data/` and profiles resolve the same from any working directory. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

const flag = z
  .enum(['0', '1', 'true', 'false', 'on', 'off', 'yes', 'no', ''])
  .transform((v) => ['1', 'true', 'on', 'yes'].includes(v))

/** A comma-separated list: blanks dropped, each entry checked by `entry` (null = fine, else why not). */
const commaList = (entry: (value: string) => string | null) =>
  z
    .string()
    .default('')
    .transform((value, ctx) => {
      const items = value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
      for (const item of items) {
        const problem = entry(item)
        if (problem) ctx.addIssue({ code: 'custom', message: `"${item}" ${problem}` })
      }
      return items
    })

/** `https://ioc.example.vn` → itself; anything with a path, query or another scheme is refused. */
function originProblem(value: string): string | null {
  try {
    const url = new URL(value)
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'is not an http(s) origin'
    return url.origin === value.replace(/\/$/, '') ? null : 'is not an origin (scheme://host[:port], no path)'
  } catch {
    return 'is not an origin such as https://ioc.example.vn'
  }
}

/** An IPv4/IPv6 address or a CIDR block (`10.0.0.0/8`, `::1`). */
function proxyProblem(value: string): string | null {
  const [address, prefix, extra] = value.split('/')
  const family = isIP(address ?? '')
  if (!family || extra !== undefined) return 'is not an IP address or CIDR block'
  if (prefix === undefined) return null
  const bits = Number(prefix)
  const max = family === 4 ? 32 : 128
  return /^\d+$/.test(prefix) && bits <= max ? null : `has a prefix that is not 0–${max}`
}

/** Every environment variable citydeck reads (docs/design.md §6); the README's table lists the same. */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DATA_DIR: z.string().min(1).default(path.join(repoRoot, 'data')),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  API_TOKENS: z.string().default(''),
  DEMO: flag.default(true),
  DEMO_RATE: z
    .string()
    .refine((v) => v === 'storm' || Number(v) > 0, 'must be a positive number (a multiplier) or storm')
    .default('1'),
  DEMO_SEED: z.coerce.number().int().default(20261128),
  CITY_PROFILE: z.string().min(1).default('phan-thiet'),
  CITY_TZ: z.string().optional(),
  MAP_STYLE_URL: z
    .url()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `pretty` lines for a person at a terminal, `json` lines for a collector; unset: pretty on a TTY. */
  LOG_FORMAT: z
    .enum(['json', 'pretty'])
    .optional()
    .or(z.literal('').transform(() => undefined)),
  CLIENT_DIST: z.string().default(path.join(repoRoot, 'client', 'dist')),
  REDIS_URL: z
    .string()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Prefix of the live adapter's Redis channels, so two deployments can share one Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[\w.:-]+$/, 'letters, digits, . : _ - only')
    .default('citydeck'),
  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
  // Live stream (server/src/live): change-log retention for resuming clients, and how many
  // bytes a slow client may have queued before it is dropped to snapshot-resync mode.
  LIVE_RETENTION_HOURS: z.coerce.number().positive().default(168),
  /** Live sockets one token or person may hold in one process (a wall of 27 screens, and some). */
  LIVE_MAX_SOCKETS_PER_CREDENTIAL: z.coerce.number().int().min(1).default(32),
  LIVE_MAX_QUEUED_BYTES: z.coerce
    .number()
    .int()
    .min(65_536)
    .default(4 * 1024 * 1024),
  /** Daily briefing (cron, city time zone); empty turns it off. */
  BRIEFING_SCHEDULE: z.string().default('0 7 * * *'),
  /** Where briefing PDFs are written; default DATA_DIR/briefings. */
  BRIEFING_DIR: z
    .string()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Ingest requests per minute per token (feeds and Open311 POST); 429 with Retry-After beyond. */
  INGEST_RATE_LIMIT: z.coerce.number().int().min(1).default(6000),
  /**
   * Seconds an ingest body may stop arriving before the request is answered 408 and rolled
   * back: a stalled batch must not hold its rows' locks and a pool connection for minutes.
   */
  INGEST_BODY_IDLE_SECONDS: z.coerce.number().positive().default(15),
  /** An overdue alert nobody acknowledged escalates after this many minutes (docs/design.md §9). */
  ALERT_ESCALATE_MINUTES: z.coerce.number().positive().default(30),
  /** On SIGTERM/SIGINT, how long requests in flight may finish before they are cut (docs/design.md §11). */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(600).default(10),
  // Security at the HTTP layer (docs/security.md).
  /** Other origins whose pages may send cookie-authenticated state changes (CSRF guard). */
  ALLOWED_ORIGINS: commaList(originProblem).transform((items) => items.map((o) => new URL(o).origin)),
  /** Peers whose X-Forwarded-For / X-Forwarded-Proto are believed (a reverse proxy). */
  TRUSTED_PROXIES: commaList(proxyProblem),
  /** CSP frame-ancestors sources: who may embed the pages in a frame. */
  FRAME_ANCESTORS: z
    .string()
    .trim()
    .regex(/^[^;,]+$/, "must be CSP sources separated by spaces, e.g. 'self' https://portal.example.vn")
    .default("'none'"),
  /** A bearer secret for Prometheus: /metrics and health details without an admin token. */
  METRICS_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** PDF/PNG renders that may wait behind the one running; beyond: 503 with Retry-After. */
  SNAPSHOT_RENDER_QUEUE: z.coerce.number().int().min(0).default(4),
})

export type Config = z.infer<typeof envSchema>

/** Thrown for a configuration a person must fix; main prints its message as one line. */
export class ConfigError extends Error {}

/** Parses the environment once; a bad value names the variable and what it expects. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new ConfigError(`config: ${String(issue.path[0])} ${issue.message}`)
  }
  return parsed.data
}

export type LogSettings = { level: Config['LOG_LEVEL']; format: 'json' | 'pretty' }

/**
 * What the logger needs, read before the rest of the configuration (the logger exists from the
 * first import); a bad value falls back to the defaults here and `loadConfig` reports it.
 */
export function logSettings(
  env: NodeJS.ProcessEnv = process.env,
  stdoutIsTTY = process.stdout.isTTY === true,
): LogSettings {
  const parsed = envSchema.pick({ LOG_LEVEL: true, LOG_FORMAT: true }).safeParse(env)
  const level = parsed.success ? parsed.data.LOG_LEVEL : 'info'
  const format = (parsed.success ? parsed.data.LOG_FORMAT : undefined) ?? (stdoutIsTTY ? 'pretty' : 'json')
  return { level, format }
}
