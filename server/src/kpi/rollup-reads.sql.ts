import type postgres from 'postgres'
import type { Queryable } from '../db/connection'
import type { Pieces } from './pieces'

/*
 * How the parts of a KPI statement read (kpi/sql/tables.sql): bucket pieces and raw edges as
 * rows, the rollup scope and grouping a filter reads, the pending rows and the edge rows.
 * rollup.sql.ts builds the five parts from these.
 */

/** What a KPI query is narrowed to (docs/design.md §3: ward and unit filter every feed, category tickets). */
export type KpiFilters = { ward?: string; unit?: string; category?: string }

/**
 * How a statement splits its sums: `undefined`, one total (the group key is null); `unit`, one
 * per unit (the unit scorecard, breakdowns by unit); `ward`, one per ward (the live open counts
 * of every ward): the same rows and events, summed per group.
 */
export type KpiGroupBy = 'unit' | 'ward' | undefined

/** Sums per group key (null: the whole query, or rows without a unit) and slot. */
export type Grouped<T> = Map<string | null, Map<number, T>>

export type SlotRow = { slot: number; grp: string | null } & Record<string, unknown>

/** Pieces as parallel arrays for `unnest` (null lower bound: from the beginning of time). */
export function bucketArrays(p: Pieces) {
  return {
    slots: p.buckets.map((b) => b.slot),
    grains: p.buckets.map((b) => b.grain),
    los: p.buckets.map((b) => (b.lo ? b.lo.toISOString() : null)),
    his: p.buckets.map((b) => b.hi.toISOString()),
    signs: p.buckets.map((b) => b.sign),
  }
}
export function rawArrays(p: Pieces) {
  return {
    slots: p.raw.map((r) => r.slot),
    los: p.raw.map((r) => r.lo.toISOString()),
    his: p.raw.map((r) => r.hi.toISOString()),
    signs: p.raw.map((r) => r.sign),
  }
}

/**
 * The narrowest pre-aggregated scope that answers `filters` (and the grouping) for a feed: 2
 * (city) when nothing applies, 1 (per ward) for a ward or the ward grouping alone, 3 (per unit)
 * for a unit or the unit grouping alone, else 0 (per ward and unit, and category for tickets).
 */
export function scopeFor(
  sql: Queryable,
  alias: string,
  f: KpiFilters,
  withCategory: boolean,
  group: KpiGroupBy,
) {
  const byUnit = group === 'unit' || f.unit !== undefined
  const byCategory = withCategory && f.category !== undefined
  const ward = group === 'ward' || f.ward !== undefined
  const scope = byUnit && !ward && !byCategory ? 3 : byUnit || byCategory ? 0 : ward ? 1 : 2
  return { scope, where: rowFilter(sql, alias, scope === 2 ? {} : f, withCategory) }
}

/** The group key of a row `alias` (see KpiGroupBy). */
export function groupKey(sql: Queryable, alias: string, group: KpiGroupBy) {
  if (group === 'unit') return sql`${sql(alias)}.unit`
  return group === 'ward' ? sql`${sql(alias)}.ward_code` : sql`null::text`
}
/** The rollup subquery's own grouping: none for one total (a plain aggregate, one row). */
export const groupClause = (sql: Queryable, group: KpiGroupBy) => (group ? sql`group by 1` : sql``)

export function rowFilter(sql: Queryable, alias: string, f: KpiFilters, withCategory: boolean) {
  const a = sql(alias)
  return sql`
    ${f.ward !== undefined ? sql`and ${a}.ward_code = ${f.ward}` : sql``}
    ${f.unit !== undefined ? sql`and ${a}.unit = ${f.unit}` : sql``}
    ${withCategory && f.category !== undefined ? sql`and ${a}.category = ${f.category}` : sql``}`
}

/** The raw pieces as rows `e(slot, lo, hi, sign)`: events in `[lo, hi)` count `sign` times. */
export function rawPieces(sql: Queryable, r: ReturnType<typeof rawArrays>) {
  return sql`unnest(${r.slots}::int[], ${r.los}::timestamptz[], ${r.his}::timestamptz[], ${r.signs}::int[])
      as e(slot, lo, hi, sign)`
}

/** The bucket pieces as rows `p(slot, grain, lo, hi, sign)`: their buckets count `sign` times. */
export function bucketPieces(sql: Queryable, b: ReturnType<typeof bucketArrays>) {
  return sql`unnest(${b.slots}::int[], ${b.grains}::text[], ${b.los}::timestamptz[], ${b.his}::timestamptz[], ${b.signs}::int[])
      as p(slot, grain, lo, hi, sign)`
}

/** Pre-aggregated rows (`alias`) of the piece `p`: its scope, grain and time range. */
export function inPiece(sql: Queryable, alias: string, scope: number, where: ReturnType<typeof rowFilter>) {
  const a = sql(alias)
  return sql`${a}.scope = ${scope} and ${a}.grain = p.grain and ${a}.bucket >= coalesce(p.lo, '-infinity')
        and ${a}.bucket < p.hi ${where}`
}

type PendingFeed = 'tickets' | 'dossiers' | 'surveys' | 'tasks'

/**
 * Pending events `q` (see pendingEvents), each with every bucket piece `p(slot, lo, hi, sign)`
 * whose range holds it (counted `sign` times, like the piece's rollup rows).
 */
export function pendingInPieces(
  sql: Queryable,
  feed: PendingFeed,
  f: KpiFilters,
  b: ReturnType<typeof bucketArrays>,
) {
  return sql`(${pendingEvents(sql, feed, f)}) q
    join unnest(${b.slots}::int[], ${b.los}::timestamptz[], ${b.his}::timestamptz[], ${b.signs}::int[]) as p(slot, lo, hi, sign)
      on q.at >= coalesce(p.lo, '-infinity') and q.at < p.hi`
}

/**
 * The pending (not yet folded) rows' events, `n` times each (kpi/sql/tables.sql), for the
 * bucket pieces: a piece's rollup buckets hold exactly the folded events of its time range
 * `[p.lo, p.hi)`, so adding the pending events of that range in the same statement (one
 * snapshot) counts every event once, whether a fold commits before or after the statement
 * starts. The fold keeps these tables to about a second of changes.
 */
function pendingEvents(sql: Queryable, feed: PendingFeed, f: KpiFilters) {
  switch (feed) {
    case 'tickets':
      return sql`select q.n, q.unit, q.ward_code, e.* from kpi_ticket_pending q
        cross join lateral kpi_ticket_events(q.received_at, q.due_at, q.resolved_at, q.closed_effective_at) e
        where true ${rowFilter(sql, 'q', f, true)}`
    case 'dossiers':
      return sql`select q.n, q.unit, q.ward_code, e.* from kpi_dossier_pending q
        cross join lateral kpi_dossier_events(q.received_at, q.due_at, q.finished_at, q.status, q.channel,
                                              q.digitized_input, q.digitized_result, q.paid_online) e
        where true ${rowFilter(sql, 'q', f, false)}`
    case 'surveys':
      return sql`select q.n, q.unit, q.ward_code, q.submitted_at as at, q.score from kpi_survey_pending q
        where true ${rowFilter(sql, 'q', f, false)}`
    case 'tasks':
      return sql`select q.n, q.unit, q.ward_code, e.* from kpi_task_pending q
        cross join lateral kpi_task_events(q.issued_at, q.due_at, q.done_at, q.cancelled) e
        where true ${rowFilter(sql, 'q', f, false)}`
  }
}

/**
 * The rows of `table` with any of `columns` in the raw edge `[e.lo, e.hi)`, each once, read through the per-column indexes: every event time of a row is one of
 * these columns, so this is a superset of the rows with an event in the edge.
 */
export function rowsWithEventsIn(
  sql: Queryable,
  table: 'tickets' | 'dossiers' | 'tasks',
  columns: string[],
  filter: postgres.Fragment,
) {
  return columns.map((column, i) => {
    const inEdge = (c: string) => sql`(t.${sql(c)} >= e.lo and t.${sql(c)} < e.hi)`
    // (An empty array would be sent as a parameter, so the first branch gets an empty fragment.)
    const notEarlier = i ? columns.slice(0, i).map((c) => sql`and ${inEdge(c)} is not true`) : sql``
    return sql`${i ? sql`union all` : sql``}
      select t.* from ${sql(table)} t where ${inEdge(column)} ${notEarlier} ${filter}`
  })
}

export function mergeBySlot<K extends string>(
  rows: ReadonlyArray<{ slot: number; grp: string | null } & Record<string, unknown>>,
  keys: K[],
): Grouped<Record<K, number>> {
  const out: Grouped<Record<K, number>> = new Map()
  for (const row of rows) {
    const slots = out.get(row.grp) ?? new Map<number, Record<K, number>>()
    const acc = slots.get(row.slot) ?? (Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>)
    for (const k of keys) acc[k] += Number(row[k] ?? 0)
    slots.set(row.slot, acc)
    out.set(row.grp, slots)
  }
  return out
}
