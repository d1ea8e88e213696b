import { startFaultCluster } from '../cluster'
import { caughtUp, connectClients, type Delivery, totalDelivery } from '../delivery'
import { every, faultTicket, ok, postTickets, round, sleep } from '../load'
import { startServerProcess } from '../server-process'

export type SoakSize = { minutes: number; clients: number; perSecond: number; burst: number }

export type SoakFigures = {
  minutes: number
  clients: number
  perSecond: number
  burstEveryMinute: number
  changes: number
  failedRequests: number
  /** Failed requests by answer (`503 database_unavailable`, `429 rate_limited`, `hung`, ...). */
  failures: Record<string, number>
  /** The minute growth is measured from: 5, or a third of a shorter run. */
  fromMinute: number
  /** Retained memory of the server (after a full collection) at that minute and at the end, MB. */
  heapFromMb: number
  heapEndMb: number
  heapGrowthPercent: number
  rssFromMb: number
  rssEndMb: number
  rssGrowthPercent: number
  samples: Array<{ minute: number; heapMb: number; rssMb: number }>
  delivery: Delivery & { clients: number }
  caughtUp: boolean
}

const mb = (bytes: number) => round(bytes / 1048576)

/**
 * Hours of a working wall in minutes: clients connected, a steady stream of changes, a burst
 * every minute; the server's memory should stay flat after its first minutes.
 */
export async function soak(size: SoakSize): Promise<SoakFigures> {
  const cluster = await startFaultCluster()
  const server = await startServerProcess(cluster.url)
  const clients = await connectClients(server.url, size.clients)
  const samples: SoakFigures['samples'] = []
  let changes = 0
  let failed = 0
  const failures: Record<string, number> = {}
  const post = async (items: unknown[]) => {
    const answer = await postTickets(server.url, items, 60_000)
    if (ok(answer)) {
      changes += items.length
      return
    }
    failed++
    const why =
      answer.status === -1
        ? 'hung'
        : answer.status === 0
          ? `no answer (${answer.failure})`
          : `${answer.status} ${answer.code}`
    failures[why] = (failures[why] ?? 0) + 1
  }
  try {
    const started = performance.now()
    const minute = () => (performance.now() - started) / 60_000
    const perTick = Math.max(1, Math.round(size.perSecond / 10))
    const steady = every(100, (n) =>
      post(Array.from({ length: perTick }, (_, i) => faultTicket(`s-${n}-${i}`))),
    )
    const burst = every(60_000, (n) =>
      Promise.all(
        Array.from({ length: Math.ceil(size.burst / 500) }, (_, b) =>
          post(Array.from({ length: 500 }, (_, i) => faultTicket(`burst-${n}-${b}-${i}`))),
        ),
      ),
    )
    const sample = async () => {
      const m = await server.memory()
      samples.push({ minute: round(minute()), heapMb: mb(m.heap), rssMb: mb(m.rss) })
    }
    while (minute() < size.minutes) {
      await sample()
      process.stdout.write(
        `  soak ${samples.at(-1)!.minute} min: heap ${samples.at(-1)!.heapMb} MB, rss ${samples.at(-1)!.rssMb} MB, ${changes} changes\n`,
      )
      await sleep(Math.min(15_000, Math.max(0, (size.minutes - minute()) * 60_000)))
    }
    await Promise.all([steady.stop(), burst.stop()])
    await sample()
    const sql = cluster.sql()
    const all = await caughtUp(sql, clients, 60_000)
    const fromMinute = Math.min(5, size.minutes / 3)
    const from = samples.find((s) => s.minute >= fromMinute) ?? samples[0]!
    const end = samples.at(-1)!
    const growth = (a: number, b: number) => round((100 * (b - a)) / a)
    return {
      minutes: size.minutes,
      clients: size.clients,
      perSecond: size.perSecond,
      burstEveryMinute: size.burst,
      changes,
      failedRequests: failed,
      failures,
      fromMinute: from.minute,
      heapFromMb: from.heapMb,
      heapEndMb: end.heapMb,
      heapGrowthPercent: growth(from.heapMb, end.heapMb),
      rssFromMb: from.rssMb,
      rssEndMb: end.rssMb,
      rssGrowthPercent: growth(from.rssMb, end.rssMb),
      samples,
      delivery: await totalDelivery(sql, clients),
      caughtUp: all,
    }
  } finally {
    for (const c of clients) c.close()
    await server.stop()
    await cluster.remove()
  }
}
