import { startFaultCluster } from '../cluster'
import { caughtUp, connectClients, type Delivery, totalDelivery } from '../delivery'
import { every, faultTicket, ok, postTickets, sleep } from '../load'
import { startServerProcess } from '../server-process'

export type ReconnectSize = {
  clients: number
  reconnects: number
  /** A reconnect every this many ms, of a client picked at random. */
  everyMs: number
}

export type ReconnectFigures = {
  reconnects: number
  changes: number
  delivery: Delivery & { clients: number }
  caughtUp: boolean
}

/**
 * Clients drop and come back with `since` at random while changes flow (10 batches a second):
 * each receives every change after its first snapshot exactly once, in order (docs/design.md §4).
 */
export async function reconnectsWithSince(size: ReconnectSize): Promise<ReconnectFigures> {
  const cluster = await startFaultCluster()
  const server = await startServerProcess(cluster.url)
  const clients = await connectClients(server.url, size.clients, false)
  let changes = 0
  try {
    const ingest = every(100, async (n) => {
      const items = Array.from({ length: 5 }, (_, i) => faultTicket(`rc-${n}-${i}`))
      if (ok(await postTickets(server.url, items))) changes += items.length
    })
    let reconnects = 0
    const away = new Set<number>()
    while (reconnects < size.reconnects) {
      const i = Math.floor(Math.random() * clients.length)
      const client = clients[i]!
      if (!away.has(i) && client.socket.connected) {
        away.add(i)
        client.socket.disconnect()
        reconnects++
        // Back after a moment, as a wall whose network blinked: it resubscribes with `since`.
        setTimeout(
          () => {
            away.delete(i)
            client.socket.connect()
          },
          Math.random() * size.everyMs * 3,
        )
      }
      await sleep(size.everyMs)
    }
    await ingest.stop()
    while (away.size) await sleep(size.everyMs)
    const sql = cluster.sql()
    const all = await caughtUp(sql, clients)
    return { reconnects, changes, delivery: await totalDelivery(sql, clients), caughtUp: all }
  } finally {
    for (const c of clients) c.close()
    await server.stop()
    await cluster.remove()
  }
}
