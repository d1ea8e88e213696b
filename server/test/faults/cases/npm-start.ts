import { readdirSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { postmasterPid } from '../cluster'
import { round, sleep } from '../load'
import { serverEnv, startProcess } from '../server-process'

export type NpmStartFigures = {
  /** Which PID got the SIGTERM: npm's, or the one the server printed. */
  signalled: 'npm' | 'printed'
  /** Processes of the tree (npm, the server, PostgreSQL and its backends) before the signal. */
  processesBefore: number
  /** Of those, still running after the wait. */
  leftRunning: string[]
  /** From the signal until none was left, s. */
  stoppedSeconds: number
}

/** Every process whose parent chain reaches `root`, with its command line. */
function descendants(root: number): Map<number, string> {
  const parents = new Map<number, number>()
  for (const name of readdirSync('/proc')) {
    const pid = Number(name)
    if (!pid) continue
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      parents.set(pid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
    } catch {
      // gone meanwhile
    }
  }
  const out = new Map<number, string>()
  const add = (pid: number) => {
    for (const [child, parent] of parents) {
      if (parent === pid && !out.has(child)) {
        out.set(child, commandOf(child))
        add(child)
      }
    }
  }
  add(root)
  return out
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim().slice(0, 120)
  } catch {
    return ''
  }
}

/** Running, and not a zombie waiting for its parent. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    return false
  }
}

/**
 * `npm start` (the launcher, the server in its process, the embedded PostgreSQL) stopped with
 * one SIGTERM to the PID of npm or to the PID it printed: nothing of it is left running.
 */
export async function stopNpmStart(signalled: 'npm' | 'printed'): Promise<NpmStartFigures> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'citydeck-faults-start-'))
  const env = serverEnv({ DATA_DIR: dataDir })
  delete env.DATABASE_URL
  const npm = await startProcess('npm', ['start'], env, 120_000)
  try {
    const printed = Number(npm.output().match(/\(pid (\d+);/)?.[1])
    const postmaster = await postmasterPid(path.join(dataDir, 'pg'))
    const tree = descendants(npm.pid)
    tree.set(npm.pid, commandOf(npm.pid))
    if (postmaster) tree.set(postmaster, commandOf(postmaster))
    if (signalled === 'printed' && !tree.has(printed)) {
      throw new Error(`no server pid in the output: ${npm.output().slice(-2000)}`)
    }
    const signalledAt = performance.now()
    process.kill(signalled === 'npm' ? npm.pid : printed, 'SIGTERM')
    const deadline = signalledAt + 20_000
    while ([...tree.keys()].some(running) && performance.now() < deadline) await sleep(100)
    return {
      signalled,
      processesBefore: tree.size,
      leftRunning: [...tree].filter(([pid]) => running(pid)).map(([pid, cmd]) => `${pid} ${cmd}`),
      stoppedSeconds: round((performance.now() - signalledAt) / 1000),
    }
  } finally {
    npm.child.kill('SIGKILL')
    const postmaster = await postmasterPid(path.join(dataDir, 'pg'))
    if (postmaster && running(postmaster)) process.kill(postmaster, 'SIGKILL')
    await rm(dataDir, { recursive: true, force: true })
  }
}
