import type { Sql } from '../../src/db/connection'
import { connected, connectLive, type Recorder, resumeOnConnect, until } from '../live/support'
import { testTokens } from '../support/test-server'

/** What one live client received, against the change log. */
export type Delivery = {
  /** Seqs in the log after the client's first snapshot that it never received. */
  gaps: number
  /** Changes it received more than once. */
  duplicates: number
  /** Changes that came after a higher seq. */
  outOfOrder: number
  /** Snapshots flagged `resync` (it was dropped or its `since` was too old). */
  resyncs: number
  received: number
}

/** N clients of the whole city that resubscribe from their last seq on every (re)connect. */
export async function connectClients(url: string, n: number, reconnection = true): Promise<Recorder[]> {
  const clients = Array.from({ length: n }, () => {
    const r = connectLive(url, { token: testTokens.display, reconnection })
    resumeOnConnect(r)
    return r
  })
  await Promise.all(clients.map(connected))
  await until(() => clients.every((c) => c.snapshots.length > 0), 'every first snapshot', 30_000)
  return clients
}

/** Waits (up to `ms`) until every client has seen the log's newest seq; false if one did not. */
export async function caughtUp(sql: Sql, clients: Recorder[], ms = 20_000): Promise<boolean> {
  const [row] = await sql<{ newest: number | null }[]>`select max(seq) as newest from change_log`
  const newest = row?.newest ?? 0
  return until(() => clients.every((c) => c.lastSeq() >= newest), 'clients caught up', ms).then(
    () => true,
    () => false,
  )
}

/** Compares what a client received with every seq in the log after its first (or `nth`) snapshot. */
export async function deliveryOf(sql: Sql, client: Recorder, nth = 0): Promise<Delivery> {
  const from = client.snapshots[nth]!.seq
  const rows = await sql<{ seq: number }[]>`select seq from change_log where seq > ${from} order by seq`
  const seen = new Set<number>()
  let duplicates = 0
  let outOfOrder = 0
  let last = from
  for (const change of client.changes) {
    if (nth > 0 && change.seq <= from) continue
    if (seen.has(change.seq)) duplicates++
    else if (change.seq < last) outOfOrder++
    seen.add(change.seq)
    last = Math.max(last, change.seq)
  }
  return {
    gaps: rows.filter((r) => !seen.has(r.seq)).length,
    duplicates,
    outOfOrder,
    resyncs: client.snapshots.filter((s) => s.resync).length,
    received: client.changes.length,
  }
}

/** Sum of every client's delivery figures. */
export async function totalDelivery(sql: Sql, clients: Recorder[]): Promise<Delivery & { clients: number }> {
  const all = await Promise.all(clients.map((c) => deliveryOf(sql, c)))
  const sum = (k: keyof Delivery) => all.reduce((s, d) => s + d[k], 0)
  return {
    clients: clients.length,
    gaps: sum('gaps'),
    duplicates: sum('duplicates'),
    outOfOrder: sum('outOfOrder'),
    resyncs: sum('resyncs'),
    received: sum('received'),
  }
}
