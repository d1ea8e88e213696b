import type { Sql } from '../../../src/db/connection'
import { connected, connectLive, type Recorder, resumeOnConnect, until } from '../../live/support'
import { testTokens } from '../../support/test-server'
import { startFaultCluster } from '../cluster'
import { caughtUp, deliveryOf } from '../delivery'
import { faultTicket, ok, postTickets, round, sleep } from '../load'
import { startServerProcess } from '../server-process'

export type StalledSize = {
  items: number
  itemBytes: number
  maxQueuedBytes: number
  /**
   * A control run: the bound set beyond what is ingested, to show what the measure sees when
   * the server does queue everything for the client (no resync is then expected).
   */
  control?: boolean
}

export type StalledFigures = {
  /** Bytes of items ingested while the client was stalled, MB. */
  ingestedMb: number
  maxQueuedKb: number
  /**
   * Server memory still held after a full collection, MB: before the stall, once everything was
   * ingested and delivered with the client still stalled (what the server keeps for it), and
   * the most seen while ingesting (ingest's own buffers included).
   */
  rssBeforeMb: number
  rssHeldMb: number
  rssPeakMb: number
  heapBeforeMb: number
  heapHeldMb: number
  heapPeakMb: number
  /** Changes the stalled client received before its resync snapshot (dropped, not queued). */
  receivedBeforeResync: number
  resyncs: number
  /** How long it was stalled, s, and whether the server disconnected it meanwhile (ping timeout: then the memory figures do not measure the bound). */
  stalledSeconds: number
  disconnectedWhileStalled: number
  /** Times it was disconnected (stalled past socket.io's ping timeout) and came back with `since`. */
  disconnects: number
  /** After its resync: seqs in the log it missed, received twice or out of order. */
  gapsAfterResync: number
  duplicatesAfterResync: number
  outOfOrderAfterResync: number
  /** The client that kept reading: gaps after its last snapshot, and its resyncs (a busy machine may drop it too). */
  readerGaps: number
  readerResyncs: number
}

/** The TCP socket under a Node socket.io client's WebSocket: pausing it makes a reader that stops. */
function tcpOf(r: Recorder): { pause: () => void; resume: () => void } | undefined {
  const engine = r.socket.io.engine as unknown as { transport?: { ws?: { _socket: never } } } | undefined
  return engine?.transport?.ws?._socket
}

async function readerFigures(sql: Sql, reader: Recorder) {
  const d = await deliveryOf(sql, reader, reader.snapshots.length - 1)
  return { readerGaps: d.gaps, readerResyncs: d.resyncs }
}

const mb = (bytes: number) => round(bytes / 1048576)

type Memory = { heap: number; rss: number }
function figures(size: StalledSize, before: Memory, held: Memory, peak: Memory, receivedBefore: number) {
  return {
    ingestedMb: mb(size.items * size.itemBytes),
    maxQueuedKb: Math.round(size.maxQueuedBytes / 1024),
    rssBeforeMb: mb(before.rss),
    rssHeldMb: mb(held.rss),
    rssPeakMb: mb(peak.rss),
    heapBeforeMb: mb(before.heap),
    heapHeldMb: mb(held.heap),
    heapPeakMb: mb(peak.heap),
    receivedBeforeResync: receivedBefore,
  }
}

/**
 * One client stops reading while large items flow: the server keeps at most
 * LIVE_MAX_QUEUED_BYTES for it, drops it to resync, and once it reads again it gets a fresh
 * snapshot and every change after it, as if nothing happened.
 */
export async function stalledClient(size: StalledSize): Promise<StalledFigures> {
  const cluster = await startFaultCluster()
  const server = await startServerProcess(cluster.url, { LIVE_MAX_QUEUED_BYTES: String(size.maxQueuedBytes) })
  const stalled = connectLive(server.url, { token: testTokens.display, reconnection: true })
  let disconnects = 0
  stalled.socket.on('disconnect', () => disconnects++)
  const reader = connectLive(server.url, { token: testTokens.display })
  resumeOnConnect(stalled)
  resumeOnConnect(reader)
  try {
    await Promise.all([connected(stalled), connected(reader)])
    await until(() => stalled.snapshots.length > 0 && reader.snapshots.length > 0, 'first snapshots')
    // Warm up: the paths and buffers a batch of large items uses exist before the baseline.
    await postTickets(
      server.url,
      Array.from({ length: 200 }, (_, i) => faultTicket(`warm-${i}`, size.itemBytes)),
    )
    await caughtUp(cluster.sql(), [stalled, reader])
    const before = await server.memory()
    let peak = before
    tcpOf(stalled)!.pause()
    const stalledAt = performance.now()
    // Three batches at a time: the stall must stay under socket.io's ping timeout (20 s), past
    // which the server disconnects the client and its queue goes with it.
    const perBatch = 200
    const post = (from: number) =>
      postTickets(
        server.url,
        Array.from({ length: Math.min(perBatch, size.items - from) }, (_, i) =>
          faultTicket(`big-${from + i}`, size.itemBytes),
        ),
        60_000,
      )
    for (let sent = 0, n = 0; sent < size.items; sent += 3 * perBatch, n++) {
      const batches = [sent, sent + perBatch, sent + 2 * perBatch].filter((from) => from < size.items)
      const answers = await Promise.all(batches.map(post))
      if (!answers.every(ok)) throw new Error('ingest failed')
      if (n % 2 !== 1) continue
      const now = await server.memory()
      peak = { rss: Math.max(peak.rss, now.rss), heap: Math.max(peak.heap, now.heap) }
    }
    const stalledSeconds = round((performance.now() - stalledAt) / 1000)
    const disconnectedWhileStalled = disconnects
    await caughtUp(cluster.sql(), [reader])
    await sleep(300)
    // Quiet again, the client still stalled: what the server holds now is what it keeps for it.
    const held = await server.memory()
    peak = { rss: Math.max(peak.rss, held.rss), heap: Math.max(peak.heap, held.heap) }
    const receivedBefore = stalled.changes.length
    tcpOf(stalled)?.resume()
    if (size.control) {
      return {
        ...figures(size, before, held, peak, receivedBefore),
        stalledSeconds,
        disconnectedWhileStalled,
        resyncs: stalled.snapshots.filter((s) => s.resync).length,
        disconnects,
        gapsAfterResync: Number.NaN,
        duplicatesAfterResync: Number.NaN,
        outOfOrderAfterResync: Number.NaN,
        ...(await readerFigures(cluster.sql(), reader)),
      }
    }
    // Dropped to resync; or, stalled past socket.io's ping timeout, disconnected: it then comes
    // back with `since` like any client (both end in a consistent state).
    await until(
      () => stalled.snapshots.some((s) => s.resync) || (disconnects > 0 && stalled.socket.connected),
      'the resync snapshot or a reconnect',
      30_000,
    )
    await postTickets(server.url, [faultTicket('after-resync')])
    await caughtUp(cluster.sql(), [stalled, reader])
    await sleep(200)
    const sql = cluster.sql()
    const d = await deliveryOf(sql, stalled, stalled.snapshots.length - 1)
    return {
      ...figures(size, before, held, peak, receivedBefore),
      stalledSeconds,
      disconnectedWhileStalled,
      resyncs: d.resyncs,
      disconnects,
      gapsAfterResync: d.gaps,
      duplicatesAfterResync: d.duplicates,
      outOfOrderAfterResync: d.outOfOrder,
      ...(await readerFigures(sql, reader)),
    }
  } finally {
    stalled.close()
    reader.close()
    await server.stop()
    await cluster.remove()
  }
}
