import type { Server as HttpServer } from 'node:http'
import { type Alert, liveNamespace, subscribeSchema, unitOf } from '@citydeck/shared'
import { Server } from 'socket.io'
import type { ChangeRow } from '../changelog/changelog.sql'
import type { AppDeps } from '../context'
import { logger } from '../observability/logger'
import { liveClientRole } from '../observability/metrics'
import { useClusterAdapter } from './adapter'
import { liveAuth } from './auth'
import { LiveCredentials } from './credentials'
import { type LiveClient, LiveHub } from './hub'
import { startKpiFrames } from './kpis'
import { startPruning } from './retention'
import { SendQueue } from './send-queue'
import { SlaAlerts } from './sla'
import { ChangeTail } from './tail'
import type { LiveServer } from './types'

export type Live = {
  io: LiveServer
  hub: LiveHub
  tail: ChangeTail
  credentials: LiveCredentials
  close: () => Promise<void>
}

const log = logger.child({ module: 'live' })

/** Tuning that tests and the benchmark may override; the defaults suit a city's wall. */
export type LiveTuning = { groupMs: number; pollMs: number }
const defaults: LiveTuning = { groupMs: 50, pollMs: 1000 }

/** socket.io on the HTTP server's own port, namespace `/live` (docs/design.md §4). */
export async function attachLive(
  httpServer: HttpServer,
  deps: AppDeps,
  tuning: Partial<LiveTuning> = {},
): Promise<Live> {
  const t = { ...defaults, ...tuning }
  // Built detached and attached to the port last: a client reconnecting while the server starts
  // must never meet a namespace without its auth and handlers (it would sit connected but deaf).
  const io: LiveServer = new Server({
    serveClient: false,
    pingInterval: 10_000,
    pingTimeout: 10_000,
    // Frames are JSON text; compressing each one per socket would cost more CPU than it saves.
    perMessageDeflate: false,
  })
  const closeAdapter = await useClusterAdapter(io, deps)
  const live = io.of(liveNamespace)

  let hub: LiveHub | undefined
  let sla: SlaAlerts | undefined
  const kpis = startKpiFrames(live, deps)
  const onBatch = (rows: ChangeRow[]) => {
    hub!.publish(rows)
    sla!.onBatch(rows)
    kpis.noteChanges(rows)
  }
  const tail = new ChangeTail(deps.openTailPool, onBatch, {
    groupMs: t.groupMs,
    pollMs: t.pollMs,
    batch: 1000,
    readTimeoutMs: 10_000,
    onReadError: (error) => deps.database.report(error),
  })
  hub = new LiveHub(live, deps, tail, {
    maxQueuedBytes: deps.config.LIVE_MAX_QUEUED_BYTES,
    replayBatch: 1000,
  })
  sla = new SlaAlerts(live, deps, { horizonMs: 70 * 60_000, reloadMs: 10 * 60_000 })
  await tail.start()
  await sla.start()
  const stopPruning = startPruning(deps, deps.config.LIVE_RETENTION_HOURS)
  const wake = () => tail.wake()
  deps.events.on('changelog.appended', wake)
  // Back from an outage: read what was committed meanwhile, and raise the alerts whose deadline
  // passed while they could not be stored.
  const recovered = () => {
    tail.wake()
    void sla!.reload()
  }
  deps.database.on('up', recovered)
  // Acknowledged, escalated, directed: an alert's later states go out as the alert again.
  const changed = (alert: Alert) => sla!.emit(alert)
  deps.events.on('alert.changed', changed)

  live.use(liveAuth(deps.sql, deps.config))
  const credentials = new LiveCredentials(live, deps, {
    maxPerCredential: deps.config.LIVE_MAX_SOCKETS_PER_CREDENTIAL,
    sweepMs: 1000,
  })
  live.use((socket, next) => {
    const refused = credentials.admit(socket)
    next(refused === null ? undefined : new Error(`forbidden: ${refused}`))
  })
  live.on('connection', (socket) => {
    const role = liveClientRole(socket.data.principal.role)
    deps.metrics.liveClients.inc({ role })
    const client: LiveClient = {
      socket,
      personal: socket.data.personal === true,
      scope: null,
      room: null,
      generation: 0,
      sendQueue: new SendQueue(socket.conn),
    }
    socket.data.live = client
    socket.on('subscribe', (request, ack) => {
      const reply = typeof ack === 'function' ? ack : () => {}
      const parsed = subscribeSchema.safeParse(request)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!
        reply({
          ok: false,
          error: `invalid subscribe: ${issue.path.join('.') || 'request'} ${issue.message}`,
        })
        return
      }
      const unit = unitOf(socket.data.principal.role)
      if (unit !== null && parsed.data.scope.unit !== unit) {
        reply({ ok: false, error: `a unit subscribes to its own items: scope { unit: "${unit}" }` })
        return
      }
      hub!.subscribe(client, parsed.data.scope, parsed.data.since).then(reply, (error) => {
        log.warn({ err: error }, 'subscribe failed')
        reply({ ok: false, error: 'subscribe failed on the server; retry' })
      })
    })
    socket.on('disconnect', () => {
      deps.metrics.liveClients.dec({ role })
      client.generation++
      hub!.leave(client)
    })
  })

  io.attach(httpServer)
  return {
    io,
    hub,
    tail,
    credentials,
    close: async () => {
      deps.events.off('changelog.appended', wake)
      deps.database.off('up', recovered)
      deps.events.off('alert.changed', changed)
      stopPruning()
      sla!.close()
      credentials.close()
      // Not io.close(): it waits for the HTTP server to close, which waits for every HTTP
      // connection; the server closes those itself, within its grace (server.ts).
      io.disconnectSockets(true)
      await Promise.allSettled([...io._nsps.values()].map((nsp) => nsp.adapter.close()))
      io.engine.close()
      await tail.close()
      await kpis.stop()
      await closeAdapter()
    },
  }
}
