import http from 'node:http'
import { testFeedSource, testTokens } from '../../support/test-server'
import { startFaultCluster } from '../cluster'
import { connectClients } from '../delivery'
import { faultTicket, round, sleep } from '../load'
import { startServerProcess } from '../server-process'

export type ShutdownSize = { graceSeconds: number; liveClients: number }

export type ShutdownFigures = {
  graceSeconds: number
  /** From SIGTERM to the process's exit, s. */
  exitSeconds: number
  exitCode: number | null
  /** Requests the busy client had answered before and after the SIGTERM. */
  answeredBefore: number
  answeredAfter: number
  acknowledged: number
  /** Acknowledged items not in the database afterwards. */
  lost: number
}

/**
 * One keep-alive connection, as a busy feed holds it. With `midway`, the body is sent in two
 * halves with `midway` awaited between: the request is then surely in flight on the server.
 */
function keepAlivePost(
  agent: http.Agent,
  url: string,
  body: unknown,
  midway?: () => Promise<void>,
): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      `${url}/api/v1/feeds/tickets`,
      {
        method: 'POST',
        agent,
        headers: { authorization: `Bearer ${testTokens.feed}`, 'content-type': 'application/json' },
      },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
        res.on('error', () => resolve(0))
      },
    )
    req.on('error', () => resolve(0))
    const text = JSON.stringify(body)
    if (!midway) return req.end(text)
    req.write(text.slice(0, 20))
    void midway().then(() => req.end(text.slice(20)))
  })
}

/**
 * SIGTERM while a keep-alive client posts every 100 ms and live clients are connected: the
 * server exits within its grace and 5 s more, and every item it acknowledged is stored.
 */
export async function shutdownUnderLoad(size: ShutdownSize): Promise<ShutdownFigures> {
  const cluster = await startFaultCluster()
  const server = await startServerProcess(cluster.url, { SHUTDOWN_GRACE_SECONDS: String(size.graceSeconds) })
  const clients = await connectClients(server.url, size.liveClients)
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  const acked: string[] = []
  let signalledAt = 0
  let before = 0
  let after = 0
  let posting = true
  let signal: (() => Promise<void>) | undefined
  const busy = (async () => {
    for (let n = 0; posting; n++) {
      const ref = `sd-${n}`
      const midway = signal
      signal = undefined
      const status = await keepAlivePost(agent, server.url, faultTicket(ref), midway)
      if (status === 200 || status === 201) {
        acked.push(ref)
        if (signalledAt) after++
        else before++
      }
      await sleep(100)
    }
  })()
  try {
    await sleep(1500)
    // The SIGTERM lands while a request of the busy connection is in flight (a connection idle
    // at that moment is closed by Node's server.close() alone).
    const signalled = new Promise<void>((resolve) => {
      signal = async () => {
        signalledAt = performance.now()
        server.child.kill('SIGTERM')
        await sleep(200)
        resolve()
      }
    })
    await signalled
    const exit = await Promise.race([server.exited, sleep((size.graceSeconds + 20) * 1000).then(() => null)])
    const exitSeconds = round((performance.now() - signalledAt) / 1000)
    posting = false
    await busy
    const stored = new Set(
      (await cluster.sql()<{ ref: string }[]>`select ref from tickets where source = ${testFeedSource}`).map(
        (r) => r.ref,
      ),
    )
    return {
      graceSeconds: size.graceSeconds,
      exitSeconds,
      exitCode: exit?.code ?? null,
      answeredBefore: before,
      answeredAfter: after,
      acknowledged: acked.length,
      lost: acked.filter((r) => !stored.has(r)).length,
    }
  } finally {
    posting = false
    agent.destroy()
    for (const c of clients) c.close()
    server.child.kill('SIGKILL')
    await cluster.remove()
  }
}
