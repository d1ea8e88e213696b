import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot } from '../src/config'
import { freePort } from '../src/free-port'

// The real `npm start` path: a child process on the embedded PostgreSQL under DATA_DIR.
const mainScript = path.join(repoRoot, 'server/src/main.ts')
// Health details (database kind, migrations) are for METRICS_TOKEN or an admin.
const metricsToken = 'startup-test-metrics-token'

type Started = { child: ChildProcess; output: () => string; exited: Promise<number | null> }

function startMain(env: Record<string, string>): Started {
  const { DATABASE_URL: _ignored, ...inherited } = process.env
  const child = spawn(process.execPath, ['--import', 'tsx', mainScript], {
    env: {
      ...inherited,
      DEMO: '0',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      METRICS_TOKEN: metricsToken,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, output: () => output, exited }
}

// biome-ignore lint/suspicious/noExplicitAny: the health body is checked by the assertions
async function waitForHealth(port: number, started: Started, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null) throw new Error(`server exited: ${started.output()}`)
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`, {
      headers: { authorization: `Bearer ${metricsToken}` },
    }).catch(() => null)
    if (res?.ok) return res.json()
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`server did not come up: ${started.output()}`)
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

let dataDir: string
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'citydeck-start-'))
})
afterAll(() => rm(dataDir, { recursive: true, force: true }))

// The tests that start citydeck twice or on a fresh cluster (initdb) get 90 s: on a busy 2-core
// machine a first start alone can take most of the default 30.
describe('npm start on the embedded PostgreSQL', () => {
  it('creates ./data on first run, stops PostgreSQL on SIGTERM, and reuses the data after', async () => {
    const port = await freePort()
    const first = startMain({ DATA_DIR: dataDir, PORT: String(port) })
    const health = await waitForHealth(port, first)
    expect(health.database.kind).toBe('embedded')
    const pgPid = Number((await readFile(path.join(dataDir, 'pg/postmaster.pid'), 'utf8')).split('\n')[0])
    expect(isAlive(pgPid)).toBe(true)

    first.child.kill('SIGTERM')
    expect(await first.exited).toBe(0)
    expect(isAlive(pgPid)).toBe(false)

    const second = startMain({ DATA_DIR: dataDir, PORT: String(port) })
    const again = await waitForHealth(port, second)
    expect(again.migrations.applied).toEqual(health.migrations.applied)
    expect(second.output()).not.toContain('first run')
    second.child.kill('SIGTERM')
    expect(await second.exited).toBe(0)
  }, 90_000)

  it('stops cleanly on a SIGTERM that arrives while it is still starting', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'citydeck-start-early-'))
    const run = startMain({ DATA_DIR: dir, PORT: String(await freePort()) })
    const pidFile = path.join(dir, 'pg/postmaster.pid')
    let pgPid = 0
    for (let i = 0; i < 600 && !pgPid; i++) {
      pgPid = Number((await readFile(pidFile, 'utf8').catch(() => '')).split('\n')[0])
      if (!pgPid) await new Promise((r) => setTimeout(r, 50))
    }
    // PostgreSQL is up, the server is still migrating and starting.
    run.child.kill('SIGTERM')
    expect(await run.exited).toBe(0)
    expect(isAlive(pgPid)).toBe(false)
    await rm(dir, { recursive: true, force: true })
  }, 90_000)

  it('says in one line what is wrong with a bad DATABASE_URL', async () => {
    const run = startMain({ DATABASE_URL: 'mysql://nope', PORT: String(await freePort()) })
    expect(await run.exited).toBe(1)
    expect(run.output().trim()).toBe(
      'citydeck: config: DATABASE_URL must start with postgres:// or postgresql://',
    )
  })

  it('says in one line when the database cannot be reached', async () => {
    const run = startMain({
      DATABASE_URL: `postgres://nobody@127.0.0.1:${await freePort()}/x`,
      PORT: String(await freePort()),
    })
    expect(await run.exited).toBe(1)
    const lines = run.output().trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^citydeck: cannot connect to DATABASE_URL: .*Check the URL/)
  })

  it('says in one line when the port is in use', async () => {
    const blocker = net.createServer()
    const port = await new Promise<number>((resolve) =>
      blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)),
    )
    const run = startMain({ DATA_DIR: dataDir, PORT: String(port) })
    expect(await run.exited).toBe(1)
    blocker.close()
    expect(run.output().trim().split('\n').pop()).toBe(
      `citydeck: port ${port} on 127.0.0.1 is already in use: stop what uses it or set PORT`,
    )
  })

  it('says in one line when the data folder is not writable', async () => {
    // A folder below a regular file cannot be created, even by root.
    const run = startMain({ DATA_DIR: path.join(mainScript, 'data'), PORT: String(await freePort()) })
    expect(await run.exited).toBe(1)
    expect(run.output().trim()).toMatch(/^citydeck: data folder .* is not writable \(ENOTDIR\): /)
  })
})
