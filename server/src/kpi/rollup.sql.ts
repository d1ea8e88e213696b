import type postgres from 'postgres'
import type { Queryable } from '../db/connection'
import { fromMicros, micros } from './decimal'
import type { Pieces } from './pieces'
import {
  bucketArrays,
  bucketPieces,
  type Grouped,
  groupClause,
  groupKey,
  inPiece,
  type KpiFilters,
  type KpiGroupBy,
  mergeBySlot,
  pendingInPieces,
  rawArrays,
  rawPieces,
  rowFilter,
  rowsWithEventsIn,
  type SlotRow,
  scopeFor,
} from './rollup-reads.sql'

export type TicketSums = {
  received: number
  resolved: number
  resolvedOnTime: number
  openDelta: number
  overdueDelta: number
}
export type DossierSums = {
  received: number
  receivedOnline: number
  digitizedInput: number
  paidOnline: number
  paidKnown: number
  finished: number
  finishedOnTime: number
  digitizedResult: number
  /** Exact decimal sum of processing seconds, as PostgreSQL's numeric text. */
  processingSeconds: string
  openDelta: number
  overdueDelta: number
}
export type SurveySums = { responses: number; satisfied: number; scoreSum: number }
export type TaskSums = {
  issued: number
  done: number
  doneOnTime: number
  openDelta: number
  overdueDelta: number
}

/**
 * One part of a KPI statement: a query returning rows, and how to read them. compute.ts runs
 * every part of a request in ONE statement (one round trip, one snapshot for all keys). A
 * part's raw-edge branch is left out when there is no raw edge (windows on whole UTC hours,
 * e.g. local days): fewer relations to plan.
 */
export type KpiPart<T> = {
  query: postgres.PendingQuery<postgres.Row[]>
  parse: (rows: ReadonlyArray<SlotRow>) => Grouped<T>
}

/**
 * Ticket event sums per slot (and group): rollup buckets plus raw edges, through the same event
 * expansion. Each piece is summed in a LATERAL subquery so it is one index range scan (a plain
 * join lets the planner hash the whole scope instead).
 */
export function ticketSums(
  sql: Queryable,
  p: Pieces,
  f: KpiFilters,
  group?: KpiGroupBy,
): KpiPart<TicketSums> {
  const b = bucketArrays(p)
  const r = rawArrays(p)
  const { scope, where } = scopeFor(sql, 'r', f, true, group)
  const query = sql`
    select p.slot, r.grp, sum(p.sign * r.received)::bigint as received, sum(p.sign * r.resolved)::bigint as resolved,
           sum(p.sign * r.resolved_on_time)::bigint as "resolvedOnTime", sum(p.sign * r.open_delta)::bigint as "openDelta",
           sum(p.sign * r.overdue_delta)::bigint as "overdueDelta"
    from ${bucketPieces(sql, b)}
    cross join lateral (
      select ${groupKey(sql, 'r', group)} as grp, sum(r.received) as received, sum(r.resolved) as resolved, sum(r.resolved_on_time) as resolved_on_time, sum(r.open_delta) as open_delta, sum(r.overdue_delta) as overdue_delta
      from kpi_ticket_rollup r
      where ${inPiece(sql, 'r', scope, where)} ${groupClause(sql, group)}) r
    group by p.slot, r.grp
    union all
    select p.slot, ${groupKey(sql, 'q', group)}, sum(p.sign * q.n * q.received), sum(p.sign * q.n * q.resolved),
           sum(p.sign * q.n * q.resolved_on_time), sum(p.sign * q.n * q.open_delta), sum(p.sign * q.n * q.overdue_delta)
    from ${pendingInPieces(sql, 'tickets', f, b)}
    group by 1, 2
    ${
      r.slots.length
        ? sql`union all
    select e.slot, ${groupKey(sql, 'x', group)}, sum(e.sign * ev.received), sum(e.sign * ev.resolved), sum(e.sign * ev.resolved_on_time),
           sum(e.sign * ev.open_delta), sum(e.sign * ev.overdue_delta)
    from ${rawPieces(sql, r)}
    cross join lateral (${rowsWithEventsIn(sql, 'tickets', ['received_at', 'resolved_at', 'due_at', 'closed_effective_at'], rowFilter(sql, 't', f, true))}) x
    cross join lateral kpi_ticket_events(x.received_at, x.due_at, x.resolved_at, x.closed_effective_at) ev
    where ev.at >= e.lo and ev.at < e.hi
    group by 1, 2`
        : sql``
    }`
  return {
    query,
    parse: (rows) =>
      mergeBySlot(rows, ['received', 'resolved', 'resolvedOnTime', 'openDelta', 'overdueDelta']),
  }
}

/** Resolve-time histogram (bin → tickets) per slot (and group), for the median. */
export function ticketResolveHistogram(
  sql: Queryable,
  p: Pieces,
  f: KpiFilters,
  group?: KpiGroupBy,
): KpiPart<Map<number, number>> {
  const b = bucketArrays(p)
  const r = rawArrays(p)
  const { scope, where } = scopeFor(sql, 'h', f, true, group)
  const query = sql`
    select p.slot, h.grp, h.bin, sum(p.sign * h.n)::bigint as n
    from ${bucketPieces(sql, b)}
    -- Each piece one index range scan, its rows summed once by the outer grouping (a piece's
    -- buckets rarely share a bin's row). "offset 0" keeps the subquery a subquery: pulled up,
    -- the planner hashes the whole scope in parallel instead.
    cross join lateral (
      select ${groupKey(sql, 'h', group)} as grp, h.bin, h.n from kpi_ticket_resolve_hist h
      where ${inPiece(sql, 'h', scope, where)}
      offset 0) h
    group by p.slot, h.grp, h.bin
    union all
    select p.slot, ${groupKey(sql, 'q', group)}, q.bin, sum(p.sign * q.n * q.resolved)
    from ${pendingInPieces(sql, 'tickets', f, b)}
    where q.bin is not null
    group by 1, 2, 3
    ${
      r.slots.length
        ? sql`union all
    select e.slot, x.grp, x.bin, sum(e.sign)
    from ${rawPieces(sql, r)}
    cross join lateral (
      select ${groupKey(sql, 't', group)} as grp, kpi_resolve_bin(t.resolved_at - t.received_at) as bin from tickets t
      where t.resolved_at >= e.lo and t.resolved_at < e.hi ${rowFilter(sql, 't', f, true)}) x
    group by 1, 2, 3`
        : sql``
    }`
  const parse = (rows: ReadonlyArray<SlotRow>) => {
    const out: Grouped<Map<number, number>> = new Map()
    for (const row of rows as Array<{ slot: number; grp: string | null; bin: number; n: number }>) {
      const slots = out.get(row.grp) ?? new Map<number, Map<number, number>>()
      const hist = slots.get(row.slot) ?? new Map<number, number>()
      hist.set(row.bin, (hist.get(row.bin) ?? 0) + Number(row.n))
      slots.set(row.slot, hist)
      out.set(row.grp, slots)
    }
    return out
  }
  return { query, parse }
}

export function dossierSums(
  sql: Queryable,
  p: Pieces,
  f: KpiFilters,
  group?: KpiGroupBy,
): KpiPart<DossierSums> {
  const b = bucketArrays(p)
  const r = rawArrays(p)
  const { scope, where } = scopeFor(sql, 'r', f, false, group)
  const query = sql`
    select p.slot, r.grp, sum(p.sign * r.received)::bigint as received, sum(p.sign * r.received_online)::bigint as "receivedOnline",
           sum(p.sign * r.digitized_input)::bigint as "digitizedInput", sum(p.sign * r.paid_online)::bigint as "paidOnline",
           sum(p.sign * r.paid_known)::bigint as "paidKnown", sum(p.sign * r.finished)::bigint as finished,
           sum(p.sign * r.finished_on_time)::bigint as "finishedOnTime", sum(p.sign * r.digitized_result)::bigint as "digitizedResult",
           sum(p.sign * r.processing_seconds)::text as "processingSeconds", sum(p.sign * r.open_delta)::bigint as "openDelta",
           sum(p.sign * r.overdue_delta)::bigint as "overdueDelta"
    from ${bucketPieces(sql, b)}
    cross join lateral (
      select ${groupKey(sql, 'r', group)} as grp, sum(r.received) as received, sum(r.received_online) as received_online, sum(r.digitized_input) as digitized_input, sum(r.paid_online) as paid_online, sum(r.paid_known) as paid_known, sum(r.finished) as finished, sum(r.finished_on_time) as finished_on_time, sum(r.digitized_result) as digitized_result, sum(r.processing_seconds) as processing_seconds, sum(r.open_delta) as open_delta, sum(r.overdue_delta) as overdue_delta
      from kpi_dossier_rollup r
      where ${inPiece(sql, 'r', scope, where)} ${groupClause(sql, group)}) r
    group by p.slot, r.grp
    union all
    select p.slot, ${groupKey(sql, 'q', group)}, sum(p.sign * q.n * q.received), sum(p.sign * q.n * q.received_online),
           sum(p.sign * q.n * q.digitized_input), sum(p.sign * q.n * q.paid_online), sum(p.sign * q.n * q.paid_known),
           sum(p.sign * q.n * q.finished), sum(p.sign * q.n * q.finished_on_time), sum(p.sign * q.n * q.digitized_result),
           sum(p.sign * q.n * q.processing_seconds)::text, sum(p.sign * q.n * q.open_delta), sum(p.sign * q.n * q.overdue_delta)
    from ${pendingInPieces(sql, 'dossiers', f, b)}
    group by 1, 2
    ${
      r.slots.length
        ? sql`union all
    select e.slot, ${groupKey(sql, 'x', group)}, sum(e.sign * ev.received), sum(e.sign * ev.received_online),
           sum(e.sign * ev.digitized_input), sum(e.sign * ev.paid_online), sum(e.sign * ev.paid_known),
           sum(e.sign * ev.finished), sum(e.sign * ev.finished_on_time), sum(e.sign * ev.digitized_result),
           sum(e.sign * ev.processing_seconds)::text, sum(e.sign * ev.open_delta), sum(e.sign * ev.overdue_delta)
    from ${rawPieces(sql, r)}
    cross join lateral (${rowsWithEventsIn(sql, 'dossiers', ['received_at', 'finished_at', 'due_at'], rowFilter(sql, 't', f, false))}) x
    cross join lateral kpi_dossier_events(x.received_at, x.due_at, x.finished_at, x.status, x.channel,
                                          x.digitized_input, x.digitized_result, x.paid_online) ev
    where ev.at >= e.lo and ev.at < e.hi
    group by 1, 2`
        : sql``
    }`
  return { query, parse: parseDossierSums }
}

function parseDossierSums(all: ReadonlyArray<SlotRow>): Grouped<DossierSums> {
  const rows = all as Array<DossierSums & { slot: number; grp: string | null }>
  const numeric = mergeBySlot(rows, [
    'received',
    'receivedOnline',
    'digitizedInput',
    'paidOnline',
    'paidKnown',
    'finished',
    'finishedOnTime',
    'digitizedResult',
    'openDelta',
    'overdueDelta',
  ])
  // processing seconds stay decimal text until the final division (exact sums).
  const seconds = new Map<string, bigint>()
  const at = (grp: string | null, slot: number) => `${grp === null ? '' : `=${grp}`}\u0000${slot}`
  for (const row of rows) {
    const k = at(row.grp, row.slot)
    seconds.set(k, (seconds.get(k) ?? 0n) + micros(row.processingSeconds))
  }
  const out: Grouped<DossierSums> = new Map()
  for (const [grp, slots] of numeric) {
    const sums = new Map<number, DossierSums>()
    for (const [slot, s] of slots) {
      sums.set(slot, { ...s, processingSeconds: fromMicros(seconds.get(at(grp, slot)) ?? 0n) })
    }
    out.set(grp, sums)
  }
  return out
}

export function surveySums(
  sql: Queryable,
  p: Pieces,
  f: KpiFilters,
  group?: KpiGroupBy,
): KpiPart<SurveySums> {
  const b = bucketArrays(p)
  const r = rawArrays(p)
  const { scope, where } = scopeFor(sql, 'r', f, false, group)
  const query = sql`
    select p.slot, r.grp, sum(p.sign * r.responses)::bigint as responses, sum(p.sign * r.satisfied)::bigint as satisfied,
           sum(p.sign * r.score_sum)::bigint as "scoreSum"
    from ${bucketPieces(sql, b)}
    cross join lateral (
      select ${groupKey(sql, 'r', group)} as grp, sum(r.responses) as responses, sum(r.satisfied) as satisfied, sum(r.score_sum) as score_sum
      from kpi_survey_rollup r
      where ${inPiece(sql, 'r', scope, where)} ${groupClause(sql, group)}) r
    group by p.slot, r.grp
    union all
    select p.slot, ${groupKey(sql, 'q', group)}, sum(p.sign * q.n), sum(p.sign * q.n * (q.score >= 4)::integer),
           sum(p.sign * q.n * q.score)
    from ${pendingInPieces(sql, 'surveys', f, b)}
    group by 1, 2
    ${
      r.slots.length
        ? sql`union all
    select e.slot, s.grp, sum(e.sign), sum(e.sign) filter (where s.score >= 4), sum(e.sign * s.score)
    from ${rawPieces(sql, r)}
    cross join lateral (
      select ${groupKey(sql, 's', group)} as grp, s.score from survey_answers s
      where s.submitted_at >= e.lo and s.submitted_at < e.hi ${rowFilter(sql, 's', f, false)}) s
    group by 1, 2`
        : sql``
    }`
  return { query, parse: (rows) => mergeBySlot(rows, ['responses', 'satisfied', 'scoreSum']) }
}

/** Task event sums per slot (and group), docs/design.md §9: like dossiers, without a category. */
export function taskSums(sql: Queryable, p: Pieces, f: KpiFilters, group?: KpiGroupBy): KpiPart<TaskSums> {
  const b = bucketArrays(p)
  const r = rawArrays(p)
  const { scope, where } = scopeFor(sql, 'r', f, false, group)
  const query = sql`
    select p.slot, r.grp, sum(p.sign * r.issued)::bigint as issued, sum(p.sign * r.done)::bigint as done,
           sum(p.sign * r.done_on_time)::bigint as "doneOnTime", sum(p.sign * r.open_delta)::bigint as "openDelta",
           sum(p.sign * r.overdue_delta)::bigint as "overdueDelta"
    from ${bucketPieces(sql, b)}
    cross join lateral (
      select ${groupKey(sql, 'r', group)} as grp, sum(r.issued) as issued, sum(r.done) as done, sum(r.done_on_time) as done_on_time, sum(r.open_delta) as open_delta, sum(r.overdue_delta) as overdue_delta
      from kpi_task_rollup r
      where ${inPiece(sql, 'r', scope, where)} ${groupClause(sql, group)}) r
    group by p.slot, r.grp
    union all
    select p.slot, ${groupKey(sql, 'q', group)}, sum(p.sign * q.n * q.issued), sum(p.sign * q.n * q.done),
           sum(p.sign * q.n * q.done_on_time), sum(p.sign * q.n * q.open_delta), sum(p.sign * q.n * q.overdue_delta)
    from ${pendingInPieces(sql, 'tasks', f, b)}
    group by 1, 2
    ${
      r.slots.length
        ? sql`union all
    select e.slot, ${groupKey(sql, 'x', group)}, sum(e.sign * ev.issued), sum(e.sign * ev.done), sum(e.sign * ev.done_on_time),
           sum(e.sign * ev.open_delta), sum(e.sign * ev.overdue_delta)
    from ${rawPieces(sql, r)}
    cross join lateral (${rowsWithEventsIn(sql, 'tasks', ['issued_at', 'done_at', 'due_at'], rowFilter(sql, 't', f, false))}) x
    cross join lateral kpi_task_events(x.issued_at, x.due_at, x.done_at, x.status = 'cancelled') ev
    where ev.at >= e.lo and ev.at < e.hi
    group by 1, 2`
        : sql``
    }`
  return {
    query,
    parse: (rows) => mergeBySlot(rows, ['issued', 'done', 'doneOnTime', 'openDelta', 'overdueDelta']),
  }
}
