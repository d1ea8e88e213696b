import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createPool } from '../../../src/db/connection'
import { postmasterPid } from '../cluster'
import { type Answer, every, faultTicket, ms, ok, postTickets, round, send, sleep, tally } from '../load'
import { metricsToken, startServerProcess } from '../server-process'

export type EmbeddedDeathFigures = {
  survived: boolean
  /** Whether a new postmaster (another pid) runs at the end. */
  restarted: boolean
  /** Ingest statuses from the kill until ingest worked again. */
  meanwhile: Record<string, number>
  wrongAnswers: number
  unanswered: number
  slowestHealthMs: number
  /** From the kill to the first stored ingest, s. */
  recoveredSeconds: number
  /** What health details said while it was down (the first reason seen). */
  healthReason: string | null
  /** Acknowledged items not in the database afterwards. */
  lost: number
  /** Reads of acknowledged items through the API after recovery that did not answer 200, by status. */
  readFailures: Record<string, number>
  /** What the server logged about it. */
  log: string[]
}

/** Which of `refs` the embedded cluster does not have, read directly (port from its postmaster.pid). */
async function missing(clusterDir: string, refs: string[]): Promise<number> {
  const port = Number((await readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n')[3])
  const sql = createPool(`postgres://postgres:citydeck-local@127.0.0.1:${port}/citydeck`, { max: 1 })
  try {
    // The server may still be bringing the cluster back (its restart backs off 1, 2, 4 … s on a
    // busy machine): wait for it rather than count everything as lost.
    const select = () => sql<{ ref: string }[]>`select ref from tickets where ref = any(${refs})`
    let rows: { ref: string }[] | undefined
    for (const until = performance.now() + 30_000; !rows; ) {
      rows = await select().catch((error: unknown) => {
        if (performance.now() > until) throw error
        return sleep(500).then(() => undefined)
      })
    }
    const stored = new Set(rows.map((r) => r.ref))
    return refs.filter((r) => !stored.has(r)).length
  } finally {
    await sql.end({ timeout: 1 })
  }
}

/**
 * kill -9 of the embedded PostgreSQL's postmaster under a running server: the server stays up,
 * answers 503 while it is gone, starts it again and goes on (docs/design.md §11).
 */
export async function embeddedPostgresDies(): Promise<EmbeddedDeathFigures> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'citydeck-faults-embedded-'))
  const server = await startServerProcess('', { DATA_DIR: dataDir })
  const answers: Array<Answer & { refs: string[] }> = []
  const health: Array<Answer & { reason: string | null }> = []
  try {
    const ingest = every(100, async (n) => {
      const refs = [`e-${n}`]
      answers.push({
        ...(await postTickets(
          server.url,
          refs.map((r) => faultTicket(r)),
        )),
        refs,
      })
    })
    const probe = every(250, async () => {
      const sentAt = performance.now()
      const res = await fetch(`${server.url}/api/v1/health`, {
        headers: { authorization: `Bearer ${metricsToken}` },
        signal: AbortSignal.timeout(15_000),
      }).catch(() => null)
      const body = res ? ((await res.json()) as { database?: { error?: string } }) : null
      health.push({
        path: '/api/v1/health',
        sentAt,
        answeredAt: performance.now(),
        status: res?.status ?? 0,
        code: null,
        retryAfter: null,
        reason: body?.database?.error ?? null,
      })
    })
    await sleep(1000)
    const clusterDir = path.join(dataDir, 'pg')
    const before = await postmasterPid(clusterDir)
    if (!before) throw new Error('no embedded postmaster to kill')
    const killedAt = performance.now()
    process.kill(before, 'SIGKILL')
    const backBy = killedAt + 30_000
    const recovered = () => answers.find((a) => a.sentAt > killedAt + 200 && ok(a))
    while (!recovered() && performance.now() < backBy) await sleep(100)
    await sleep(500)
    await Promise.all([ingest.stop(), probe.stop()])
    const after = await postmasterPid(clusterDir)
    const first = recovered()
    const meanwhile = answers.filter((a) => a.sentAt > killedAt && (!first || a.sentAt < first.sentAt))
    const acked = answers.filter(ok).flatMap((a) => a.refs)
    const read = await Promise.all(
      acked.map((ref) =>
        send(server.url, `/api/v1/tickets/test-source/${ref}`, { token: 'test-admin-secret' }),
      ),
    )
    return {
      survived: server.alive(),
      restarted: after !== null && after !== before,
      meanwhile: tally(meanwhile, (a) => `${a.status}${a.code ? ` ${a.code}` : ''}`),
      wrongAnswers: answers.filter(
        (a) => a.status > 0 && !ok(a) && !(a.status === 503 && a.code === 'database_unavailable'),
      ).length,
      unanswered: answers.filter((a) => a.status <= 0).length + health.filter((a) => a.status <= 0).length,
      slowestHealthMs: Math.round(Math.max(0, ...health.map(ms))),
      recoveredSeconds: first ? round((first.answeredAt - killedAt) / 1000) : Number.NaN,
      healthReason: health.find((h) => h.sentAt > killedAt && h.status === 503)?.reason ?? null,
      lost: await missing(clusterDir, acked),
      readFailures: tally(
        read.filter((a) => a.status !== 200),
        (a) => `${a.status} ${a.code ?? a.failure ?? ''}`,
      ),
      log: server
        .output()
        .split('\n')
        .filter((l) => /"module":"(embedded-postgres|database)"/.test(l))
        .map((l) => (JSON.parse(l) as { msg: string }).msg),
    }
  } finally {
    await server.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
}
