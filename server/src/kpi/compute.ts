import type { KpiSet } from '@citydeck/shared'
import type postgres from 'postgres'
import type { Sql } from '../db/connection'
import { type CatalogCounts, catalogCountsQuery } from './catalog.sql'
import { medianMinutes } from './median'
import { addPrefix, addWindow, emptyPieces } from './pieces'
import {
  type DossierSums,
  dossierSums,
  type SurveySums,
  surveySums,
  type TaskSums,
  type TicketSums,
  taskSums,
  ticketResolveHistogram,
  ticketSums,
} from './rollup.sql'
import type { KpiFilters, KpiGroupBy, SlotRow } from './rollup-reads.sql'

export type KpiWindow = { from: Date; to: Date }

/** A rate of docs/design.md §3: null when the denominator is 0 (never 0 or NaN). */
export const rate = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole)

/**
 * docs/design.md §3 keys for each window, from the rollups: window keys (received, resolved, ...) sum
 * the events inside `[from, to)` (slot 2i), "state at `to`" keys (open, overdue) sum the
 * events before `to` (slot 2i + 1). Many windows (a day or hour breakdown) cost one statement
 * too. `catalog` overrides the procedure counts (for procedure/field breakdowns).
 */
export async function computeKpis(
  sql: Sql,
  windows: KpiWindow[],
  filters: KpiFilters,
  catalog?: CatalogCounts,
): Promise<KpiSet[]> {
  const groups = await computeKpiGroups(sql, windows, filters, undefined, catalog)
  return groups.map((g) => g.get(null) ?? emptyKpiSet(g.catalog))
}

/** Each window's KPI sets per group key, and the catalog counts they share. */
export type KpiGroups = Map<string | null, KpiSet> & { catalog: CatalogCounts }

/**
 * The same keys as computeKpis, split by `group` in the same single statement: per unit, every
 * unit's keys are the sums of exactly the rows and events `?unit=<code>` would read (the rollups'
 * per-ward-and-unit scope, the pending rows, the raw edges), so each equals that query. A group
 * appears when any of its rows has an event before a window's `to`.
 */
export async function computeKpiGroups(
  sql: Sql,
  windows: KpiWindow[],
  filters: KpiFilters,
  group: KpiGroupBy,
  catalog?: CatalogCounts,
): Promise<KpiGroups[]> {
  const sums = emptyPieces()
  const histogram = emptyPieces()
  windows.forEach((w, i) => {
    addWindow(sums, 2 * i, w.from, w.to)
    addPrefix(sums, 2 * i + 1, w.to)
    addWindow(histogram, i, w.from, w.to)
  })
  const parts = {
    tickets: ticketSums(sql, sums, filters, group),
    hist: ticketResolveHistogram(sql, histogram, filters, group),
    dossiers: dossierSums(sql, sums, filters, group),
    surveys: surveySums(sql, sums, filters, group),
    tasks: taskSums(sql, sums, filters, group),
  }
  // Every part in one statement: one round trip and one snapshot, so all keys (and the
  // pending events each adds, kpi/sql/fold.sql) agree with each other.
  const agg = (part: { query: postgres.PendingQuery<postgres.Row[]> }) =>
    sql`(select coalesce(json_agg(x), '[]') from (${part.query}) x)`
  const [row] = await sql<[Record<keyof typeof parts, SlotRow[]> & { catalog: CatalogCounts | null }]>`
    select ${agg(parts.tickets)} as tickets, ${agg(parts.hist)} as hist, ${agg(parts.dossiers)} as dossiers,
           ${agg(parts.surveys)} as surveys, ${agg(parts.tasks)} as tasks,
           ${catalog ? sql`null::json` : sql`(select row_to_json(c) from (${catalogCountsQuery(sql)}) c)`} as catalog`
  const tickets = parts.tickets.parse(row.tickets)
  const hist = parts.hist.parse(row.hist)
  const dossiers = parts.dossiers.parse(row.dossiers)
  const surveys = parts.surveys.parse(row.surveys)
  const tasks = parts.tasks.parse(row.tasks)
  const counts = catalog ?? row.catalog!
  const keys = new Set([
    ...tickets.keys(),
    ...hist.keys(),
    ...dossiers.keys(),
    ...surveys.keys(),
    ...tasks.keys(),
  ])
  return windows.map((_, i) => {
    const out = Object.assign(new Map<string | null, KpiSet>(), { catalog: counts })
    for (const key of keys) {
      const t = tickets.get(key)
      const d = dossiers.get(key)
      const k = tasks.get(key)
      out.set(
        key,
        kpiSet(
          {
            window: t?.get(2 * i) ?? zeroTickets,
            before: t?.get(2 * i + 1) ?? zeroTickets,
            median: medianMinutes(hist.get(key)?.get(i) ?? new Map()),
          },
          { window: d?.get(2 * i) ?? zeroDossiers, before: d?.get(2 * i + 1) ?? zeroDossiers },
          counts,
          surveys.get(key)?.get(2 * i) ?? zeroSurveys,
          { window: k?.get(2 * i) ?? zeroTasks, before: k?.get(2 * i + 1) ?? zeroTasks },
        ),
      )
    }
    return out
  })
}

/** The keys of a window with no rows at all. */
export const emptyKpiSet = (catalog: CatalogCounts): KpiSet =>
  kpiSet(
    { window: zeroTickets, before: zeroTickets, median: null },
    { window: zeroDossiers, before: zeroDossiers },
    catalog,
    zeroSurveys,
    { window: zeroTasks, before: zeroTasks },
  )

export function kpiSet(
  tickets: { window: TicketSums; before: TicketSums; median: number | null },
  dossiers: { window: DossierSums; before: DossierSums },
  catalog: CatalogCounts,
  surveys: SurveySums,
  tasks: { window: TaskSums; before: TaskSums },
): KpiSet {
  const t = tickets.window
  const d = dossiers.window
  const open = dossiers.before.openDelta
  const overdueOpen = dossiers.before.overdueDelta
  return {
    tickets: {
      received: t.received,
      resolved: t.resolved,
      resolvedOnTime: t.resolvedOnTime,
      onTimeRate: rate(t.resolvedOnTime, t.resolved),
      open: tickets.before.openDelta,
      overdue: tickets.before.overdueDelta,
      medianResolveMinutes: tickets.median,
    },
    dossiers: {
      received: d.received,
      onlineRate: rate(d.receivedOnline, d.received),
      finished: d.finished,
      onTimeRate: rate(d.finishedOnTime, d.finished),
      // QĐ 766 indicator 2.1: finished on time plus still open and not yet due, over finished plus open.
      progressRate: rate(d.finishedOnTime + open - overdueOpen, d.finished + open),
      open,
      overdueOpen,
      avgProcessingDays: d.finished === 0 ? null : Number(d.processingSeconds) / d.finished / 86400,
      digitizedInputRate: rate(d.digitizedInput, d.received),
      digitizedResultRate: rate(d.digitizedResult, d.finished),
      onlinePaymentRate: rate(d.paidOnline, d.paidKnown),
    },
    procedures: {
      total: catalog.total,
      fullOnline: catalog.fullOnline,
      partialOnline: catalog.partialOnline,
      nationalPortal: catalog.nationalPortal,
      onlineShare: rate(catalog.fullOnline + catalog.partialOnline, catalog.total),
    },
    satisfaction: {
      responses: surveys.responses,
      rate: rate(surveys.satisfied, surveys.responses),
      avgScore: surveys.responses === 0 ? null : surveys.scoreSum / surveys.responses,
    },
    tasks: {
      issued: tasks.window.issued,
      done: tasks.window.done,
      doneOnTime: tasks.window.doneOnTime,
      onTimeRate: rate(tasks.window.doneOnTime, tasks.window.done),
      open: tasks.before.openDelta,
      overdue: tasks.before.overdueDelta,
    },
  }
}

export const zeroTickets: TicketSums = {
  received: 0,
  resolved: 0,
  resolvedOnTime: 0,
  openDelta: 0,
  overdueDelta: 0,
}
export const zeroDossiers: DossierSums = {
  received: 0,
  receivedOnline: 0,
  digitizedInput: 0,
  paidOnline: 0,
  paidKnown: 0,
  finished: 0,
  finishedOnTime: 0,
  digitizedResult: 0,
  processingSeconds: '0',
  openDelta: 0,
  overdueDelta: 0,
}
export const zeroSurveys: SurveySums = { responses: 0, satisfied: 0, scoreSum: 0 }
export const zeroTasks: TaskSums = { issued: 0, done: 0, doneOnTime: 0, openDelta: 0, overdueDelta: 0 }
