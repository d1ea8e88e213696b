import type { Sql } from '../db/connection'
import type { Pieces } from './pieces'

/** What a KPI query is narrowed to (DESIGN §3: ward and unit filter every feed, category tickets). */
export type KpiFilters = { ward?: string; unit?: string; category?: string }

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

/** Pieces as parallel arrays for `unnest` (null lower bound: from the beginning of time). */
function bucketArrays(p: Pieces) {
  return {
    slots: p.buckets.map((b) => b.slot),
    grains: p.buckets.map((b) => b.grain),
    los: p.buckets.map((b) => (b.lo ? b.lo.toISOString() : null)),
    his: p.buckets.map((b) => b.hi.toISOString()),
  }
}
function rawArrays(p: Pieces) {
  return {
    slots: p.raw.map((r) => r.slot),
    los: p.raw.map((r) => r.lo.toISOString()),
    his: p.raw.map((r) => r.hi.toISOString()),
  }
}

/**
 * The narrowest pre-aggregated scope that answers `filters` for a feed: 2 (city) when nothing
 * applies, 1 (per ward) for a ward alone, else 0 (per ward and unit, and category for tickets).
 */
function scopeFor(sql: Sql, alias: string, f: KpiFilters, withCategory: boolean) {
  const narrow = f.unit !== undefined || (withCategory && f.category !== undefined)
  const scope = narrow ? 0 : f.ward !== undefined ? 1 : 2
  return { scope, where: rowFilter(sql, alias, scope === 2 ? {} : f, withCategory) }
}

function rowFilter(sql: Sql, alias: string, f: KpiFilters, withCategory: boolean) {
  const a = sql(alias)
  return sql`
    ${f.ward !== undefined ? sql`and ${a}.ward_code = ${f.ward}` : sql``}
    ${f.unit !== undefined ? sql`and ${a}.unit = ${f.unit}` : sql``}
    ${withCategory && f.category !== undefined ? sql`and ${a}.category = ${f.category}` : sql``}`
}

/** Ticket event sums per slot: rollup buckets plus raw edges, through the same event expansion. */
export async function ticketSums(sql: Sql, p: Pieces, f: KpiFilters): Promise<Map<number, TicketSums>> {
  const b = bucketArrays(p)
  const r = rawArrays(p)
  const { scope, where } = scopeFor(sql, 'r', f, true)
  const rows = await sql<Array<TicketSums & { slot: number }>>`
    select p.slot, sum(r.received)::bigint as received, sum(r.resolved)::bigint as resolved,
           sum(r.resolved_on_time)::bigint as "resolvedOnTime", sum(r.open_delta)::bigint as "openDelta",
           sum(r.overdue_delta)::bigint as "overdueDelta"
    from unnest(${b.slots}::int[], ${b.grains}::text[], ${b.los}::timestamptz[], ${b.his}::timestamptz[])
      as p(slot, grain, lo, hi)
    join kpi_ticket_rollup r on r.scope = ${scope} and r.grain = p.grain and r.bucket >= coalesce(p.lo, '-infinity') and r.bucket < p.hi
      ${where}
    group by p.slot
    union all
    select e.slot, sum(ev.received), sum(ev.resolved), sum(ev.resolved_on_time), sum(ev.open_delta),
           sum(ev.overdue_delta)
    from unnest(${r.slots}::int[], ${r.los}::timestamptz[], ${r.his}::timestamptz[]) as e(slot, lo, hi)
    join tickets t on (t.received_at >= e.lo and t.received_at < e.hi)
      or (t.resolved_at >= e.lo and t.resolved_at < e.hi)
      or (t.due_at >= e.lo and t.due_at < e.hi)
      or (t.closed_effective_at >= e.lo and t.closed_effective_at < e.hi)
    cross join lateral kpi_ticket_events(t) ev
    where ev.at >= e.lo and ev.at < e.hi ${rowFilter(sql, 't', f, true)}
    group by e.slot`
  return mergeBySlot(rows, ['received', 'resolved', 'resolvedOnTime', 'openDelta', 'overdueDelta'])
}

/** Resolve-time histogram (bin → tickets) per slot, for the median. */
export async function ticketResolveHistogram(
  sql: Sql,
  p: Pieces,
  f: KpiFilters,
): Promise<Map<number, Map<number, number>>> {
  const b = bucketArrays(p)
  const r = rawArrays(p)
  const { scope, where } = scopeFor(sql, 'h', f, true)
  const rows = await sql<Array<{ slot: number; bin: number; n: number }>>`
    select p.slot, h.bin, sum(h.n)::bigint as n
    from unnest(${b.slots}::int[], ${b.grains}::text[], ${b.los}::timestamptz[], ${b.his}::timestamptz[])
      as p(slot, grain, lo, hi)
    join kpi_ticket_resolve_hist h on h.scope = ${scope} and h.grain = p.grain and h.bucket >= coalesce(p.lo, '-infinity')
      and h.bucket < p.hi ${where}
    group by p.slot, h.bin
    union all
    select e.slot, kpi_resolve_bin(t.resolved_at - t.received_at), count(*)
    from unnest(${r.slots}::int[], ${r.los}::timestamptz[], ${r.his}::timestamptz[]) as e(slot, lo, hi)
    join tickets t on t.resolved_at >= e.lo and t.resolved_at < e.hi ${rowFilter(sql, 't', f, true)}
    group by 1, 2`
  const out = new Map<number, Map<number, number>>()
  for (const row of rows) {
    const hist = out.get(row.slot) ?? new Map<number, number>()
    hist.set(row.bin, (hist.get(row.bin) ?? 0) + Number(row.n))
    out.set(row.slot, hist)
  }
  return out
}

export async function dossierSums(sql: Sql, p: Pieces, f: KpiFilters): Promise<Map<number, DossierSums>> {
  const b = bucketArrays(p)
  const r = rawArrays(p)
  const { scope, where } = scopeFor(sql, 'r', f, false)
  const rows = await sql<Array<DossierSums & { slot: number }>>`
    select p.slot, sum(r.received)::bigint as received, sum(r.received_online)::bigint as "receivedOnline",
           sum(r.digitized_input)::bigint as "digitizedInput", sum(r.paid_online)::bigint as "paidOnline",
           sum(r.paid_known)::bigint as "paidKnown", sum(r.finished)::bigint as finished,
           sum(r.finished_on_time)::bigint as "finishedOnTime", sum(r.digitized_result)::bigint as "digitizedResult",
           sum(r.processing_seconds)::text as "processingSeconds", sum(r.open_delta)::bigint as "openDelta",
           sum(r.overdue_delta)::bigint as "overdueDelta"
    from unnest(${b.slots}::int[], ${b.grains}::text[], ${b.los}::timestamptz[], ${b.his}::timestamptz[])
      as p(slot, grain, lo, hi)
    join kpi_dossier_rollup r on r.scope = ${scope} and r.grain = p.grain and r.bucket >= coalesce(p.lo, '-infinity') and r.bucket < p.hi
      ${where}
    group by p.slot
    union all
    select e.slot, sum(ev.received), sum(ev.received_online), sum(ev.digitized_input), sum(ev.paid_online),
           sum(ev.paid_known), sum(ev.finished), sum(ev.finished_on_time), sum(ev.digitized_result),
           sum(ev.processing_seconds)::text, sum(ev.open_delta), sum(ev.overdue_delta)
    from unnest(${r.slots}::int[], ${r.los}::timestamptz[], ${r.his}::timestamptz[]) as e(slot, lo, hi)
    join dossiers d on (d.received_at >= e.lo and d.received_at < e.hi)
      or (d.finished_at >= e.lo and d.finished_at < e.hi)
      or (d.due_at >= e.lo and d.due_at < e.hi)
    cross join lateral kpi_dossier_events(d) ev
    where ev.at >= e.lo and ev.at < e.hi ${rowFilter(sql, 'd', f, false)}
    group by e.slot`
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
  const seconds = new Map<number, bigint>()
  for (const row of rows) {
    seconds.set(row.slot, (seconds.get(row.slot) ?? 0n) + micros(row.processingSeconds))
  }
  const out = new Map<number, DossierSums>()
  for (const [slot, sums] of numeric) {
    out.set(slot, { ...sums, processingSeconds: fromMicros(seconds.get(slot) ?? 0n) } as DossierSums)
  }
  return out
}

export async function surveySums(sql: Sql, p: Pieces, f: KpiFilters): Promise<Map<number, SurveySums>> {
  const b = bucketArrays(p)
  const r = rawArrays(p)
  const { scope, where } = scopeFor(sql, 'r', f, false)
  const rows = await sql<Array<SurveySums & { slot: number }>>`
    select p.slot, sum(r.responses)::bigint as responses, sum(r.satisfied)::bigint as satisfied,
           sum(r.score_sum)::bigint as "scoreSum"
    from unnest(${b.slots}::int[], ${b.grains}::text[], ${b.los}::timestamptz[], ${b.his}::timestamptz[])
      as p(slot, grain, lo, hi)
    join kpi_survey_rollup r on r.scope = ${scope} and r.grain = p.grain and r.bucket >= coalesce(p.lo, '-infinity') and r.bucket < p.hi
      ${where}
    group by p.slot
    union all
    select e.slot, count(*), count(*) filter (where s.score >= 4), sum(s.score)
    from unnest(${r.slots}::int[], ${r.los}::timestamptz[], ${r.his}::timestamptz[]) as e(slot, lo, hi)
    join survey_answers s on s.submitted_at >= e.lo and s.submitted_at < e.hi ${rowFilter(sql, 's', f, false)}
    group by e.slot`
  return mergeBySlot(rows, ['responses', 'satisfied', 'scoreSum'])
}

function mergeBySlot<K extends string>(
  rows: ReadonlyArray<{ slot: number } & Record<string, unknown>>,
  keys: K[],
): Map<number, Record<K, number>> {
  const out = new Map<number, Record<K, number>>()
  for (const row of rows) {
    const acc = out.get(row.slot) ?? (Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>)
    for (const k of keys) acc[k] += Number(row[k] ?? 0)
    out.set(row.slot, acc)
  }
  return out
}

/** Decimal seconds text (microsecond precision at most) to integer microseconds, exactly. */
function micros(text: string | null): bigint {
  if (!text) return 0n
  const negative = text.startsWith('-')
  const [whole = '0', frac = ''] = text.replace('-', '').split('.')
  const value = BigInt(whole) * 1_000_000n + BigInt(`${frac}000000`.slice(0, 6))
  return negative ? -value : value
}
function fromMicros(us: bigint): string {
  const negative = us < 0n
  const abs = negative ? -us : us
  return `${negative ? '-' : ''}${abs / 1_000_000n}.${String(abs % 1_000_000n).padStart(6, '0')}`
}
