import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createPool } from '../../src/db/connection'
import { type EmbeddedCluster, startEmbeddedPostgres } from '../../src/db/embedded'
import { clusterProcesses, postmasterFile } from '../../src/db/embedded-processes'
import { sleep } from './load'

/**
 * What a postmaster killed with kill -9 leaves behind, made on purpose: each of these stopped
 * every later restart before (PostgreSQL refuses to start beside them), so the embedded cluster
 * never came back (docs/design.md §11).
 */
describe('the embedded PostgreSQL starts again over what its killed postmaster left', () => {
  let dataDir = ''
  let cluster: EmbeddedCluster | null = null
  let bystander: ChildProcess | null = null

  afterEach(async () => {
    await cluster?.stop()
    bystander?.kill('SIGKILL')
    await rm(dataDir, { recursive: true, force: true })
  })

  const start = async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'citydeck-leftovers-'))
    cluster = await startEmbeddedPostgres({ dataDir })
    return path.join(dataDir, 'pg')
  }

  /** Waits until the cluster answers a query again: 'back', or why it did not within 40 s. */
  const answersAgain = async (c: EmbeddedCluster) => {
    const since = performance.now()
    const sql = createPool(c.url('citydeck'), { max: 1 })
    try {
      for (;;) {
        const row = await sql`select 1 as one`.catch(() => null)
        if (row?.[0]?.one === 1 && c.trouble() === null) return 'back'
        if (performance.now() - since > 40_000) return `not back: ${c.trouble()}`
        await sleep(250)
      }
    } finally {
      await sql.end({ timeout: 1 })
    }
  }

  it('when a child of the dead postmaster still holds its shared memory', async () => {
    const clusterDir = await start()
    const postmaster = (await postmasterFile(clusterDir))!.pid
    const child = (await clusterProcesses(clusterDir)).find((pid) => pid !== postmaster)!
    expect(child).toBeGreaterThan(0)
    // Stopped, it can neither notice its parent's death nor leave: as a stuck backend would.
    process.kill(child, 'SIGSTOP')
    process.kill(postmaster, 'SIGKILL')
    expect(await answersAgain(cluster!)).toBe('back')
    expect((await postmasterFile(clusterDir))!.pid).not.toBe(postmaster)
  }, 60_000)

  it('when the pid in its postmaster.pid now belongs to another process', async () => {
    const clusterDir = await start()
    const postmaster = (await postmasterFile(clusterDir))!.pid
    // Of the user PostgreSQL runs as (as root, `postgres`): one it could not signal it takes for stale.
    const uid = (await stat(clusterDir)).uid
    bystander = spawn('sleep', ['600'], { stdio: 'ignore', uid })
    process.kill(postmaster, 'SIGKILL')
    // As if the pid had been handed out again, which a busy machine does within seconds.
    const file = path.join(clusterDir, 'postmaster.pid')
    const lines = (await readFile(file, 'utf8')).split('\n')
    await writeFile(file, [String(bystander.pid), ...lines.slice(1)].join('\n'))
    expect(await answersAgain(cluster!)).toBe('back')
    expect(bystander.exitCode).toBeNull()
  }, 60_000)

  it('and leaves nothing of it running once stopped', async () => {
    const clusterDir = await start()
    process.kill((await postmasterFile(clusterDir))!.pid, 'SIGKILL')
    expect(await answersAgain(cluster!)).toBe('back')
    await cluster!.stop()
    cluster = null
    expect(await clusterProcesses(clusterDir)).toEqual([])
  }, 60_000)
})
