import type { KpiSet, KpisChanged, LiveScope } from '@citydeck/shared'
import type { Namespace } from 'socket.io'
import type { AppDeps } from '../context'
import { todayKpis } from '../kpi/live-kpis'
import { watchRoomOf } from './hub'

/** Today's KPIs (local day of the city) for a live scope, for snapshots. */
export function todayKpisForScope(deps: AppDeps, scope: LiveScope): Promise<KpiSet> {
  return todayKpis(deps, scope)
}

/**
 * Publishes `kpis.changed` (coalesced by kpi/live-kpis.ts, computed once per scope in the
 * process that ingested) to the scope's rooms in every process, through the adapter, so each
 * client gets each frame once however many processes run.
 */
export function publishKpiFrames(nsp: Namespace, deps: AppDeps): () => void {
  const onKpis = (frame: KpisChanged) => {
    const scope = frame.scope.ward === undefined ? {} : { ward: frame.scope.ward }
    nsp.to(watchRoomOf(scope)).emit('kpis', { seq: frame.seq, scope, kpis: frame.kpis })
  }
  deps.events.on('kpis.changed', onKpis)
  return () => deps.events.off('kpis.changed', onKpis)
}
