import { testTokens } from '../../support/test-server'
import { startFaultCluster } from '../cluster'
import { caughtUp, connectClients, type Delivery, totalDelivery } from '../delivery'
import { type Answer, every, faultTicket, ms, ok, postTickets, round, send, sleep, tally } from '../load'
import { startServerProcess } from '../server-process'

export type OutageSize = { clients: number; downMs: number }

export type OutageFigures = {
  clients: number
  downSeconds: number
  /** Whether the server process was still running at the end. */
  survived: boolean
  /** Statuses of ingest and KPI requests sent while the database was stopped. */
  whileDown: Record<string, number>
  /** Requests answered with neither 2xx nor 503 database_unavailable + Retry-After, in any phase. */
  wrongAnswers: number
  /** Requests that got no answer at all (hung past 15 s, or the connection failed). */
  unanswered: number
  /** Slowest 503 answer, ms. */
  slowest503Ms: number
  /** Slowest health answer in every state, ms. */
  slowestHealthMs: number
  healthWhileDown: Record<string, number>
  /** From the database being back to the first stored ingest, and to live changes at every client, s. */
  ingestRecoveredSeconds: number
  liveRecoveredSeconds: number
  delivery: Delivery & { clients: number }
  caughtUp: boolean
}

/**
 * The database stopped for a while under ingest, KPI reads and live clients: the server stays
 * up, answers 503 quickly while it is away, and resumes on its own, every client receiving every
 * change committed since (docs/design.md §11).
 */
export async function databaseOutage(size: OutageSize): Promise<OutageFigures> {
  const cluster = await startFaultCluster()
  const server = await startServerProcess(cluster.url)
  const clients = await connectClients(server.url, size.clients)
  const answers: Array<Answer & { kind: 'ingest' | 'kpis' }> = []
  const health: Answer[] = []
  const firstLiveAfter = new Map<number, number>()
  let backAt = Number.POSITIVE_INFINITY
  for (const [i, c] of clients.entries()) {
    c.socket.on('changes', () => {
      if (performance.now() > backAt && !firstLiveAfter.has(i)) firstLiveAfter.set(i, performance.now())
    })
  }
  try {
    const ingest = every(100, async (n) => {
      const items = Array.from({ length: 5 }, (_, i) => faultTicket(`o-${n}-${i}`))
      answers.push({ ...(await postTickets(server.url, items)), kind: 'ingest' })
    })
    const kpis = every(250, async () => {
      answers.push({
        ...(await send(server.url, '/api/v1/kpis', { token: testTokens.leader })),
        kind: 'kpis',
      })
    })
    const probe = every(200, async () => {
      health.push(await send(server.url, '/api/v1/health'))
    })
    await sleep(1000)
    await cluster.stop()
    const downAt = performance.now()
    await sleep(size.downMs)
    const restartAt = performance.now()
    await cluster.start()
    backAt = performance.now()
    const recovered = () =>
      answers.some((a) => a.kind === 'ingest' && a.sentAt > backAt && ok(a)) &&
      firstLiveAfter.size === clients.length
    const until = backAt + 20_000
    while (!recovered() && performance.now() < until) await sleep(50)
    await sleep(1000)
    await Promise.all([ingest.stop(), kpis.stop(), probe.stop()])
    const sql = cluster.sql()
    const all = await caughtUp(sql, clients)

    const down = answers.filter((a) => a.sentAt >= downAt && a.sentAt < restartAt)
    const is503 = (a: Answer) =>
      a.status === 503 && a.code === 'database_unavailable' && a.retryAfter !== null
    const firstIngest = answers.find((a) => a.kind === 'ingest' && a.sentAt > backAt && ok(a))
    return {
      clients: size.clients,
      downSeconds: round((restartAt - downAt) / 1000),
      survived: server.alive(),
      whileDown: tally(down, (a) => `${a.kind} ${a.status}${a.code ? ` ${a.code}` : ''}`),
      wrongAnswers: answers.filter((a) => a.status > 0 && !ok(a) && !is503(a)).length,
      unanswered: answers.filter((a) => a.status <= 0).length + health.filter((a) => a.status <= 0).length,
      slowest503Ms: Math.round(Math.max(0, ...answers.filter(is503).map(ms))),
      slowestHealthMs: Math.round(Math.max(0, ...health.map(ms))),
      healthWhileDown: tally(
        health.filter((a) => a.sentAt >= downAt && a.sentAt < restartAt),
        (a) => String(a.status),
      ),
      ingestRecoveredSeconds: firstIngest ? round((firstIngest.answeredAt - backAt) / 1000) : Number.NaN,
      liveRecoveredSeconds:
        firstLiveAfter.size === clients.length
          ? round((Math.max(...firstLiveAfter.values()) - backAt) / 1000)
          : Number.NaN,
      delivery: await totalDelivery(sql, clients),
      caughtUp: all,
    }
  } finally {
    for (const c of clients) c.close()
    await server.stop()
    await cluster.remove()
  }
}
