import { freePort } from '../../../src/free-port'
import { testFeedSource, testTokens } from '../../support/test-server'
import { startFaultCluster } from '../cluster'
import { faultTicket, ok, postTickets, send } from '../load'
import { startServerProcess } from '../server-process'

export type KillIngestSize = {
  rounds: number
  /** How long writers post before the kill -9. */
  roundMs: number
  batchWriters: number
  batchSize: number
  singleWriters: number
}

export type KillIngestFigures = {
  rounds: number
  acknowledgedItems: number
  acknowledgedBatches: number
  acknowledgedSingles: number
  /** Acknowledged items not in the database after the restart. */
  lost: number
  batchesSent: number
  /** Batches with some but not all of their items stored. */
  partialBatches: number
  /** Acknowledged items read back through the API after the restart (a sample). */
  readBackThroughApi: number
}

/**
 * kill -9 of the server while writers post batches and single items, several rounds: every
 * acknowledged item is stored, and every batch is stored wholly or not at all.
 */
export async function killDuringIngest(size: KillIngestSize): Promise<KillIngestFigures> {
  const cluster = await startFaultCluster()
  const port = String(await freePort())
  const batches: Array<{ refs: string[]; acked: boolean }> = []
  const singles: Array<{ ref: string; acked: boolean }> = []
  try {
    for (let round = 0; round < size.rounds; round++) {
      const server = await startServerProcess(cluster.url, { PORT: port })
      let killed = false
      const batchWriter = async (w: number) => {
        for (let n = 0; !killed; n++) {
          const refs = Array.from({ length: size.batchSize }, (_, i) => `k${round}-b${w}-${n}-${i}`)
          const batch = { refs, acked: false }
          batches.push(batch)
          batch.acked = ok(
            await postTickets(
              server.url,
              refs.map((r) => faultTicket(r)),
            ),
          )
          if (!batch.acked && !killed) await new Promise((r) => setTimeout(r, 50))
        }
      }
      const singleWriter = async (w: number) => {
        for (let n = 0; !killed; n++) {
          const single = { ref: `k${round}-s${w}-${n}`, acked: false }
          singles.push(single)
          single.acked = ok(await postTickets(server.url, faultTicket(single.ref)))
        }
      }
      const writers = [
        ...Array.from({ length: size.batchWriters }, (_, w) => batchWriter(w)),
        ...Array.from({ length: size.singleWriters }, (_, w) => singleWriter(w)),
      ]
      await new Promise((r) => setTimeout(r, size.roundMs))
      server.child.kill('SIGKILL')
      await server.exited
      killed = true
      await Promise.all(writers)
    }

    const sql = cluster.sql()
    const stored = new Set(
      (await sql<{ ref: string }[]>`select ref from tickets where source = ${testFeedSource}`).map(
        (r) => r.ref,
      ),
    )
    const ackedRefs = [
      ...batches.filter((b) => b.acked).flatMap((b) => b.refs),
      ...singles.filter((s) => s.acked).map((s) => s.ref),
    ]
    const partialBatches = batches.filter((b) => {
      const present = b.refs.filter((r) => stored.has(r)).length
      return present !== 0 && present !== b.refs.length
    }).length

    // Readable through the server after its restart, not only in the table.
    const server = await startServerProcess(cluster.url, { PORT: port })
    const sample = ackedRefs.filter((_, i) => i % Math.max(1, Math.floor(ackedRefs.length / 20)) === 0)
    const read = await Promise.all(
      sample.map((ref) =>
        send(server.url, `/api/v1/tickets/${testFeedSource}/${ref}`, { token: testTokens.admin }),
      ),
    )
    await server.stop()
    return {
      rounds: size.rounds,
      acknowledgedItems: ackedRefs.length,
      acknowledgedBatches: batches.filter((b) => b.acked).length,
      acknowledgedSingles: singles.filter((s) => s.acked).length,
      lost: ackedRefs.filter((r) => !stored.has(r)).length,
      batchesSent: batches.length,
      partialBatches,
      readBackThroughApi: read.filter((a) => a.status === 200).length,
    }
  } finally {
    await cluster.remove()
  }
}
