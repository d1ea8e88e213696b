import { type ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'
import { repoRoot } from '../../src/config'
import { testFeedSource, testTokens } from '../support/test-server'

/** A METRICS_TOKEN the fault servers accept, for /metrics and health details. */
export const metricsToken = 'faults-metrics-token-0123456789'

/** The real server (`server/src/main.ts`) as a child process, as an operator runs it. */
export type ServerProcess = {
  child: ChildProcess
  url: string
  pid: number
  /** Resolves when the process exited, with its code or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Whether it is still running. */
  alive: () => boolean
  /** The last of what it wrote (stdout and stderr), for failure messages. */
  output: () => string
  /** SIGTERM, then SIGKILL after `ms` if it has not exited; resolves once it exited. */
  stop: (ms?: number) => Promise<void>
  /** Heap and resident memory still held after a full collection (servers started with the probe). */
  memory: () => Promise<{ heap: number; rss: number }>
}

/** Environment every fault server shares: no demo, the test tokens, quiet logs. */
export function serverEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PORT: '0',
    DEMO: '0',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    INGEST_RATE_LIMIT: '10000000',
    LIVE_MAX_SOCKETS_PER_CREDENTIAL: '100000',
    METRICS_TOKEN: metricsToken,
    BRIEFING_SCHEDULE: '',
    API_TOKENS: [
      `admin=${testTokens.admin}`,
      `leader=${testTokens.leader}`,
      `display=${testTokens.display}`,
      `feed:${testFeedSource}=${testTokens.feed}`,
    ].join(','),
    ...env,
  }
}

/** Starts `node <args>` (TypeScript through tsx) and resolves once it printed its URL. */
export function startProcess(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
): Promise<ServerProcess> {
  const child = spawn(command, args, { env, cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000)
  }
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  )
  const alive = () => child.exitCode === null && child.signalCode === null
  const stop = async (ms = 20_000) => {
    if (!alive()) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), ms)
    await exited
    clearTimeout(timer)
  }
  const memory = () =>
    new Promise<{ heap: number; rss: number }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no memory figures from the server')), 10_000)
      let line = ''
      const read = (chunk: Buffer) => {
        line += chunk.toString()
        const m = line.match(/faults-memory (\d+) (\d+)/)
        if (!m) return
        clearTimeout(timer)
        child.stdout!.off('data', read)
        resolve({ heap: Number(m[1]), rss: Number(m[2]) })
      }
      child.stdout!.on('data', read)
      child.kill('SIGUSR2')
    })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${args.join(' ')} did not start within ${timeoutMs} ms: ${output.slice(-2000)}`))
    }, timeoutMs)
    const seen = () => {
      const m = output.match(/citydeck:\s+(http:\/\/\S+)/)
      if (!m) return
      clearTimeout(timer)
      child.stdout!.off('data', seen)
      resolve({ child, url: m[1]!, pid: child.pid!, exited, alive, output: () => output, stop, memory })
    }
    child.stdout!.on('data', seen)
    void exited.then(({ code, signal }) => {
      clearTimeout(timer)
      reject(new Error(`${args.join(' ')} exited (${code ?? signal}) while starting: ${output.slice(-2000)}`))
    })
  })
}

/** The server on `databaseUrl` (empty: its embedded PostgreSQL under `DATA_DIR`). */
export function startServerProcess(databaseUrl: string, env: Record<string, string> = {}) {
  return startProcess(
    process.execPath,
    [
      '--expose-gc',
      '--require',
      path.join(repoRoot, 'server/test/faults/memory-probe.cjs'),
      '--import',
      'tsx',
      path.join(repoRoot, 'server/src/main.ts'),
    ],
    serverEnv({ DATABASE_URL: databaseUrl, ...env }),
  )
}
