import { execFileSync, spawn } from 'node:child_process'
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { repoRoot } from '../src/config'
import { freePort } from '../src/free-port'

/**
 * `npm run bench -- startup`: how long `npm start` takes to print its ready block (the URLs), on
 * a fresh clone of this commit (after `npm ci`, which is not counted: no client build, no
 * server bundle, no database yet) and then on later starts of the same clone (all built, the
 * cluster and the demo city there). Aims (issue 21): first < 30 s, later < 5 s. Each start runs
 * the demo, as a first-time user's does, on a port and data folder of its own.
 */
const runsAfterFirst = 3

type Start = { seconds: number; phases: Record<string, number> }

/** Log lines whose offsets show where a start's time goes. */
const milestones: Record<string, RegExp> = {
  clientBuilt: /client built in/,
  serverBundled: /server bundled in/,
  postgresUp: /embedded PostgreSQL is up/,
}

function timeStart(dir: string, env: NodeJS.ProcessEnv): Promise<Start> {
  const started = performance.now()
  const child = spawn('npm', ['start'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] })
  const phases: Record<string, number> = {}
  let output = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`npm start did not print its URLs within 180 s: ${output.slice(-2000)}`))
    }, 180_000)
    const read = (chunk: Buffer) => {
      output += chunk.toString()
      const at = Math.round(performance.now() - started) / 1000
      for (const [name, line] of Object.entries(milestones))
        if (!(name in phases) && line.test(output)) phases[name] = at
      if (!/citydeck is ready/.test(output)) return
      clearTimeout(timer)
      child.stdout.off('data', read)
      child.once('exit', () => resolve({ seconds: at, phases }))
      child.kill('SIGTERM')
    }
    child.stdout.on('data', read)
    child.stderr.on('data', read)
    child.once('exit', (code) => {
      if (!/citydeck is ready/.test(output)) {
        clearTimeout(timer)
        reject(new Error(`npm start exited (${code}) before its URLs: ${output.slice(-2000)}`))
      }
    })
  })
}

export async function run(): Promise<void> {
  const work = await mkdtemp(path.join(tmpdir(), 'citydeck-startup-'))
  // As root, the embedded PostgreSQL runs as the postgres user, which must enter the data folder.
  await chmod(work, 0o755)
  const clone = path.join(work, 'citydeck')
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: repoRoot,
      encoding: 'utf8',
    }).trim()
    execFileSync('git', ['clone', '--quiet', repoRoot, clone])
    const ciStarted = performance.now()
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], {
      cwd: clone,
      stdio: 'ignore',
    })
    const npmCiSeconds = Math.round(performance.now() - ciStarted) / 1000
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(await freePort()),
      DATA_DIR: path.join(work, 'data'),
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
    }
    delete env.DATABASE_URL
    const first = await timeStart(clone, env)
    const later: Start[] = []
    for (let i = 0; i < runsAfterFirst; i++) later.push(await timeStart(clone, env))
    const laterSeconds = later.map((s) => s.seconds)
    const result = {
      at: new Date().toISOString(),
      commit,
      loadAverage: (await import('node:os')).loadavg().map((l) => Math.round(l * 10) / 10),
      npmCiSeconds,
      first,
      later,
      laterMaxSeconds: Math.max(...laterSeconds),
      aim: { firstSeconds: 30, laterSeconds: 5 },
    }
    await writeFile(
      path.join(repoRoot, 'server/bench/results/startup.json'),
      `${JSON.stringify(result, null, 2)}\n`,
    )
    process.stdout.write(
      `startup: first ${first.seconds} s (aim < 30), later ${laterSeconds.join(', ')} s (aim < 5); npm ci ${npmCiSeconds} s\n`,
    )
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}
