import type { KpiResponse } from '@citydeck/shared'

/** A KPI response as a tile reads it; a part may be missing (no answer yet, or a snapshot older than the part). */
type TileKpis = KpiResponse | null | undefined

/** The tiles of the leader view: where each value is in a KPI response and how it reads. */
export type TileSpec = {
  key: string
  label: string
  accent: 'tickets' | 'dossiers' | 'satisfaction' | 'tasks'
  kind: 'count' | 'rate' | 'points'
  /** Whether a rise is good news (overdue tickets: no). */
  higherIsBetter: boolean
  pick: (kpis: TileKpis) => number | null | undefined
  /** Shown only when the KPI response has this section (a server without task KPIs has none). */
  section?: keyof KpiResponse
  /**
   * For a rate: the number of items it is over; under MIN_SAMPLE it reads as its count (`3/3`).
   * Undefined when the answer does not say (the rate is then shown as it is).
   */
  sample?: (kpis: TileKpis) => number | null | undefined
  /** The list the tile opens, filtered (the overdue tiles open what is overdue, by deadline). */
  list?: { path: '/tickets' | '/dossiers' | '/tasks'; patch: Record<string, string> }
}

export const leaderTiles: TileSpec[] = [
  {
    key: 'tickets.received',
    label: 'leader.kpi.ticketsReceived',
    accent: 'tickets',
    kind: 'count',
    higherIsBetter: true,
    pick: (k) => k?.tickets?.received,
  },
  {
    key: 'tickets.onTimeRate',
    label: 'leader.kpi.ticketsOnTime',
    accent: 'tickets',
    kind: 'rate',
    higherIsBetter: true,
    pick: (k) => k?.tickets?.onTimeRate,
    sample: (k) => k?.tickets?.resolved,
  },
  {
    key: 'tickets.overdue',
    label: 'leader.kpi.ticketsOverdue',
    accent: 'tickets',
    kind: 'count',
    higherIsBetter: false,
    pick: (k) => k?.tickets?.overdue,
    list: { path: '/tickets', patch: { sla: 'overdue', sort: 'dueAt' } },
  },
  {
    key: 'dossiers.received',
    label: 'leader.kpi.dossiersReceived',
    accent: 'dossiers',
    kind: 'count',
    higherIsBetter: true,
    pick: (k) => k?.dossiers?.received,
  },
  {
    key: 'dossiers.onlineRate',
    label: 'leader.kpi.dossiersOnline',
    accent: 'dossiers',
    kind: 'rate',
    higherIsBetter: true,
    pick: (k) => k?.dossiers?.onlineRate,
    sample: (k) => k?.dossiers?.received,
  },
  {
    key: 'dossiers.progressRate',
    label: 'leader.kpi.dossiersProgress',
    accent: 'dossiers',
    kind: 'rate',
    higherIsBetter: true,
    pick: (k) => k?.dossiers?.progressRate,
    // QĐ 766 indicator 2.1 is over finished + open at `to`. A KPI answer frozen before `open`
    // existed has no sample (undefined): it reads as its rate, as it did then.
    sample: (k) => (k?.dossiers?.open === undefined ? undefined : k.dossiers.finished + k.dossiers.open),
  },
  {
    key: 'satisfaction.rate',
    label: 'leader.kpi.satisfaction',
    accent: 'satisfaction',
    kind: 'rate',
    higherIsBetter: true,
    pick: (k) => k?.satisfaction?.rate,
    sample: (k) => k?.satisfaction?.responses,
  },
  {
    key: 'score766.total',
    label: 'leader.kpi.score766',
    accent: 'satisfaction',
    kind: 'points',
    higherIsBetter: true,
    pick: (k) => k?.score766?.total,
  },
  {
    key: 'tasks.open',
    label: 'direction.kpi.tasksOpen',
    accent: 'tasks',
    kind: 'count',
    higherIsBetter: false,
    pick: (k) => k?.tasks?.open,
    section: 'tasks',
  },
  {
    key: 'tasks.overdue',
    label: 'direction.kpi.tasksOverdue',
    accent: 'tasks',
    kind: 'count',
    higherIsBetter: false,
    pick: (k) => k?.tasks?.overdue,
    section: 'tasks',
    list: { path: '/tasks', patch: { sla: 'overdue', sort: 'dueAt' } },
  },
]
