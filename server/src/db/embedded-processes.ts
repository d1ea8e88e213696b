import fs from 'node:fs/promises'
import path from 'node:path'

/**
 * Which processes belong to an embedded cluster, told apart from whatever else runs. A pid alone
 * is not enough: after kill -9 the postmaster's pid stays in postmaster.pid, and on a busy
 * machine (pid_max is often 32,768, and every refused connection forks a backend) another
 * process soon carries it. A PostgreSQL process is known by its program (`…/postgres`) and its
 * working folder, the cluster's folder, which the postmaster enters at once and its children
 * inherit. Linux only (/proc); elsewhere a live pid is taken at its word.
 */

const hasProc = () =>
  fs.access('/proc/self/cwd').then(
    () => true,
    () => false,
  )

async function belongs(pid: number, clusterDir: string): Promise<boolean> {
  const [exe, cwd] = await Promise.all([
    fs.readlink(`/proc/${pid}/exe`).catch(() => ''),
    fs.readlink(`/proc/${pid}/cwd`).catch(() => ''),
  ])
  return path.basename(exe) === 'postgres' && cwd === path.resolve(clusterDir)
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it lives, under a user we may not signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Whether `pid` is a live PostgreSQL process of the cluster in `clusterDir`. */
export async function isClusterProcess(pid: number, clusterDir: string): Promise<boolean> {
  if (!isAlive(pid)) return false
  return (await hasProc()) ? belongs(pid, clusterDir) : true
}

/** Every live PostgreSQL process of the cluster: its postmaster, its children, their orphans. */
export async function clusterProcesses(clusterDir: string): Promise<number[]> {
  const entries = await fs.readdir('/proc').catch(() => [] as string[])
  const pids = entries.map(Number).filter((pid) => pid > 0 && pid !== process.pid)
  const found = await Promise.all(pids.map(async (pid) => ((await belongs(pid, clusterDir)) ? pid : 0)))
  return found.filter((pid) => pid > 0)
}

/** What postmaster.pid says: the postmaster's pid, its port and its status (`starting`, `ready`, …). */
export async function postmasterFile(
  clusterDir: string,
): Promise<{ pid: number; port: number; status: string } | null> {
  const text = await fs.readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8').catch(() => '')
  const lines = text.split('\n')
  const pid = Number(lines[0])
  if (!(pid > 0)) return null
  return { pid, port: Number(lines[3]), status: (lines[7] ?? '').trim() }
}

/**
 * Clears what a dead postmaster leaves behind before the cluster is started again: children
 * still attached to its shared memory (the next postmaster refuses to start while they are:
 * "pre-existing shared memory block is still in use"), an earlier start that hung, and a
 * postmaster.pid that names a pid no longer ours (PostgreSQL refuses to start while that pid
 * lives, whoever it now is). Only called when the cluster's postmaster is known to be gone:
 * anything of the cluster still running is killed, as PostgreSQL's own crash recovery would.
 */
export async function clearLeftovers(clusterDir: string): Promise<{ killed: number; staleFile: boolean }> {
  let left = await clusterProcesses(clusterDir)
  const killed = left.length
  for (const pid of left) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {}
  }
  for (let i = 0; i < 50 && left.length > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    // A killed orphan may linger as a zombie where nothing reaps it; it no longer holds anything.
    left = (await Promise.all(left.map(async (pid) => ((await belongs(pid, clusterDir)) ? pid : 0)))).filter(
      (pid) => pid > 0,
    )
  }
  const file = await postmasterFile(clusterDir)
  const staleFile = file !== null && !(await isClusterProcess(file.pid, clusterDir))
  if (staleFile) await fs.rm(path.join(clusterDir, 'postmaster.pid'), { force: true })
  return { killed, staleFile }
}
