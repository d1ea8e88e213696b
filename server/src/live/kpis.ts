import type { KpiFrame, LiveScope } from '@citydeck/shared'
import type { AppDeps } from '../context'
import { startLiveKpis } from '../kpi/live-kpis'
import { logger } from '../observability/logger'
import { scopeOfWatchRoom, watchRoomOf } from './hub'
import type { LiveNamespace } from './types'

const log = logger.child({ module: 'live.kpis' })

/** Sockets written per turn of the event loop when a KPI frame goes out. */
export const kpiSliceSockets = 64

/**
 * Today's KPIs for the scopes this process's clients watch (their watch rooms), pushed as
 * `kpis` frames to those rooms in this process only: every process computes for its own
 * clients (see kpi/live-kpis.ts), so a frame never needs to cross the adapter.
 */
export function startKpiFrames(nsp: LiveNamespace, deps: AppDeps) {
  const send = kpiSender(nsp)
  return startLiveKpis(deps, {
    watched: () => watchedScopes(nsp),
    publish: (frame) => send(frame),
  })
}

/**
 * Sends KPI frames to their watch rooms a slice of sockets per turn of the event loop, one frame
 * after the other. A room broadcast writes to every member in one synchronous loop (about 30 ms
 * for 1,000 walls on a loaded 2-core machine); a change read meanwhile waited behind it, which
 * was citydeck's tail at low rates (docs/performance.md). Between slices the loop handles I/O,
 * so the change stream goes first and a frame that is not a change waits instead. Each slice
 * is still one encoding (a broadcast to those sockets' own rooms); a member that left the room
 * meanwhile is skipped.
 */
export function kpiSender(nsp: LiveNamespace, sliceSockets = kpiSliceSockets) {
  let sending: Promise<void> = Promise.resolve()
  const sendSliced = async (frame: KpiFrame) => {
    const room = watchRoomOf(frame.scope)
    const members = [...(nsp.adapter.rooms.get(room) ?? [])]
    for (let at = 0; at < members.length; at += sliceSockets) {
      if (at > 0) await new Promise((resolve) => setImmediate(resolve))
      const current = nsp.adapter.rooms.get(room)
      const slice = members.slice(at, at + sliceSockets).filter((id) => current?.has(id))
      if (slice.length) nsp.local.to(slice).emit('kpis', frame)
    }
  }
  return (frame: KpiFrame): Promise<void> => {
    // A failed send must not stop the frames after it (nor reject unhandled).
    sending = sending
      .then(() => sendSliced(frame))
      .catch((error) => log.warn({ err: error }, 'sending a KPI frame failed'))
    return sending
  }
}

function* watchedScopes(nsp: LiveNamespace): Generator<LiveScope> {
  for (const [room, members] of nsp.adapter.rooms) {
    if (members.size === 0) continue
    const scope = scopeOfWatchRoom(room)
    if (scope) yield scope
  }
}
