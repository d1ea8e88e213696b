import type { KpiSet, LiveScope } from '@citydeck/shared'
import type { AppDeps } from '../context'

// PLACEHOLDER until server/src/kpi/ exports its "today's KPIs for a scope" function: every
// snapshot and KPI frame goes through this one function, so switching is a one-line change.
const zeroKpis: KpiSet = {
  tickets: {
    received: 0,
    resolved: 0,
    resolvedOnTime: 0,
    onTimeRate: null,
    open: 0,
    overdue: 0,
    medianResolveMinutes: null,
  },
  dossiers: {
    received: 0,
    onlineRate: null,
    finished: 0,
    onTimeRate: null,
    progressRate: null,
    overdueOpen: 0,
    avgProcessingDays: null,
    digitizedInputRate: null,
    digitizedResultRate: null,
    onlinePaymentRate: null,
  },
  procedures: { total: 0, fullOnline: 0, partialOnline: 0, nationalPortal: 0, onlineShare: null },
  satisfaction: { responses: 0, rate: null, avgScore: null },
}

/** Today's KPIs (local day of the city) for a live scope. */
export async function todayKpisForScope(_deps: AppDeps, _scope: LiveScope): Promise<KpiSet> {
  return structuredClone(zeroKpis)
}
