import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { io } from 'socket.io-client'
import { repoRoot } from '../src/config'
import { createPool, type Sql } from '../src/db/connection'
import { freePort } from '../src/free-port'

export const feedKey = 'bench-ingest-key'
export const displayKey = 'bench-ingest-display'
/** The bench reads the server's /metrics, which needs METRICS_TOKEN (or an admin). */
export const metricsKey = 'bench-ingest-metrics'

/**
 * `BENCH_SERVER_ROOT`: another checkout whose server is measured instead of this one's, by this
 * bench, for a before/after comparison of a change in one run (docs/performance.md).
 */
export const otherServer = process.env.BENCH_SERVER_ROOT
  ? {
      root: path.resolve(process.env.BENCH_SERVER_ROOT),
      commit: execFileSync('git', [
        '-C',
        path.resolve(process.env.BENCH_SERVER_ROOT),
        'rev-parse',
        '--short',
        'HEAD',
      ])
        .toString()
        .trim(),
    }
  : null

/**
 * The system under test for the ingest benchmark: a citydeck server in a child process (so the
 * load generator does not share its event loop) on a fresh database: a new database on
 * DATABASE_URL's server when set, else an embedded PostgreSQL in a temporary folder.
 */
export async function startBenchServer() {
  let dataDir: string | null = null
  let dropDatabase = async () => {}
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    DEMO: '0',
    LOG_LEVEL: 'warn',
    API_TOKENS: `feed:bench=${feedKey},display=${displayKey}`,
    INGEST_RATE_LIMIT: '100000000',
    METRICS_TOKEN: metricsKey,
  }
  let dbUrl: string
  if (process.env.DATABASE_URL) {
    const name = `citydeck_bench_${randomBytes(4).toString('hex')}`
    const admin = createPool(process.env.DATABASE_URL, { max: 1 })
    await admin`create database ${admin(name)}`
    const url = new URL(process.env.DATABASE_URL)
    url.pathname = `/${name}`
    dbUrl = url.toString()
    env.DATABASE_URL = dbUrl
    dropDatabase = async () => {
      await admin`drop database if exists ${admin(name)} with (force)`
      await admin.end()
    }
  } else {
    dataDir = await mkdtemp(path.join(tmpdir(), 'citydeck-ingest-bench-'))
    const port = await freePort()
    env.DATA_DIR = dataDir
    env.EMBEDDED_PG_PORT = String(port)
    env.DATABASE_URL = ''
    // The embedded cluster's fixed credentials (server/src/db/embedded.ts).
    dbUrl = `postgres://postgres:citydeck-local@127.0.0.1:${port}/citydeck`
  }
  // BENCH_NODE_ARGS: extra node flags for the server, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', path.join(otherServer?.root ?? repoRoot, 'server/src/main.ts')],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  const url = await serverUrl(child)
  const sql: Sql = createPool(dbUrl, { max: 2 })
  return {
    url,
    sql,
    /** The database's URL, for a command-line tool run beside the server (the CSV import). */
    dbUrl,
    /** The server's process id, to read its CPU time. */
    pid: child.pid!,
    kind: dataDir ? 'embedded' : 'external',
    stop: async () => {
      await sql.end({ timeout: 5 })
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGTERM')
        await exited
      }
      await dropDatabase()
      if (dataDir) await rm(dataDir, { recursive: true, force: true })
    },
  }
}

function serverUrl(child: ChildProcess): Promise<string> {
  let output = ''
  return new Promise((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      output += chunk.toString()
      const m = output.match(/citydeck:\s+(http:\/\/\S+)/)
      if (m) resolve(m[1]!)
    }
    child.stdout!.on('data', seen)
    child.stderr!.on('data', seen)
    child.once('exit', (code) => reject(new Error(`the bench server exited ${code}: ${output.slice(-2000)}`)))
  })
}

/**
 * A wall watching the whole city over the live stream, as in an operations centre while feeds
 * come in: the server pushes it every change and recomputes the city's KPIs for it each second.
 */
export async function watchCity(url: string) {
  let changes = 0
  let kpiFrames = 0
  const socket = io(`${url}/live`, { auth: { token: displayKey }, transports: ['websocket'] })
  socket.on('changes', (frame: unknown[]) => (changes += frame.length))
  socket.on('kpis', () => kpiFrames++)
  const ack = (await socket.timeout(30_000).emitWithAck('subscribe', { scope: {} })) as { ok: boolean }
  if (!ack.ok) throw new Error(`the bench's wall could not subscribe: ${JSON.stringify(ack)}`)
  return {
    /** Changes and KPI frames received so far. */
    received: () => ({ changes, kpiFrames }),
    close: () => socket.disconnect(),
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}
