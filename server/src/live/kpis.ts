import type { LiveScope } from '@citydeck/shared'
import type { AppDeps } from '../context'
import { startLiveKpis } from '../kpi/live-kpis'
import { scopeOfWatchRoom, watchRoomOf } from './hub'
import type { LiveNamespace } from './types'

/**
 * Today's KPIs for the scopes this process's clients watch (their watch rooms), pushed as
 * `kpis` frames to those rooms in this process only: every process computes for its own
 * clients (see kpi/live-kpis.ts), so a frame never needs to cross the adapter.
 */
export function startKpiFrames(nsp: LiveNamespace, deps: AppDeps) {
  return startLiveKpis(deps, {
    watched: () => watchedScopes(nsp),
    publish: (frame) => {
      nsp.local.to(watchRoomOf(frame.scope)).emit('kpis', frame)
    },
  })
}

function* watchedScopes(nsp: LiveNamespace): Generator<LiveScope> {
  for (const [room, members] of nsp.adapter.rooms) {
    if (members.size === 0) continue
    const scope = scopeOfWatchRoom(room)
    if (scope) yield scope
  }
}
