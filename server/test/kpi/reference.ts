import type { KpiSet } from '@citydeck/shared'
import type { Sql } from '../../src/db/connection'

export type Filters = { ward?: string; unit?: string; category?: string }

/**
 * docs/design.md §3 written as the most straightforward SQL over the raw rows, independent of the
 * rollups: the reference the API must equal. The median is the exact percentile_cont.
 */
export async function referenceKpis(sql: Sql, from: Date, to: Date, f: Filters): Promise<KpiSet> {
  const ward = f.ward !== undefined ? sql`and ward_code = ${f.ward}` : sql``
  const unit = f.unit !== undefined ? sql`and unit = ${f.unit}` : sql``
  const category = f.category !== undefined ? sql`and category = ${f.category}` : sql``
  const [t] = await sql`
    select
      count(*) filter (where received_at >= ${from} and received_at < ${to})::int as received,
      count(*) filter (where resolved_at >= ${from} and resolved_at < ${to})::int as resolved,
      count(*) filter (where resolved_at >= ${from} and resolved_at < ${to} and resolved_at <= due_at)::int
        as "resolvedOnTime",
      (count(*) filter (where resolved_at >= ${from} and resolved_at < ${to} and resolved_at <= due_at))::float8
        / nullif(count(*) filter (where resolved_at >= ${from} and resolved_at < ${to}), 0) as "onTimeRate",
      count(*) filter (where received_at < ${to} and not coalesce(closed_effective_at < ${to}, false))::int as open,
      count(*) filter (where received_at < ${to} and not coalesce(closed_effective_at < ${to}, false)
                         and due_at < ${to})::int as overdue,
      percentile_cont(0.5) within group (order by extract(epoch from resolved_at - received_at)::float8 / 60)
        filter (where resolved_at >= ${from} and resolved_at < ${to}) as "medianResolveMinutes"
    from tickets where true ${ward} ${unit} ${category}`
  const [d] = await sql`
    with d as (
      select *, received_at >= ${from} and received_at < ${to} as rec,
             finished_at >= ${from} and finished_at < ${to} as fin,
             received_at < ${to} and not coalesce(finished_at < ${to}, false)
               and status not in ('withdrawn', 'rejected') as open_at_to
      from dossiers where true ${ward} ${unit}
    )
    select
      count(*) filter (where rec)::int as received,
      (count(*) filter (where rec and channel = 'online'))::float8 / nullif(count(*) filter (where rec), 0) as "onlineRate",
      count(*) filter (where fin)::int as finished,
      (count(*) filter (where fin and finished_at <= due_at))::float8 / nullif(count(*) filter (where fin), 0)
        as "onTimeRate",
      (count(*) filter (where fin and finished_at <= due_at) + count(*) filter (where open_at_to and due_at >= ${to}))::float8
        / nullif(count(*) filter (where fin) + count(*) filter (where open_at_to), 0) as "progressRate",
      count(*) filter (where open_at_to)::int as open,
      count(*) filter (where open_at_to and due_at < ${to})::int as "overdueOpen",
      (sum(extract(epoch from finished_at - received_at)) filter (where fin))::float8
        / nullif(count(*) filter (where fin), 0) / 86400 as "avgProcessingDays",
      (count(*) filter (where rec and digitized_input))::float8 / nullif(count(*) filter (where rec), 0)
        as "digitizedInputRate",
      (count(*) filter (where fin and digitized_result))::float8 / nullif(count(*) filter (where fin), 0)
        as "digitizedResultRate",
      (count(*) filter (where rec and paid_online))::float8
        / nullif(count(*) filter (where rec and paid_online is not null), 0) as "onlinePaymentRate"
    from d`
  const [p] = await sql`
    select count(*)::int as total, count(*) filter (where level = 'full')::int as "fullOnline",
           count(*) filter (where level = 'partial')::int as "partialOnline",
           count(*) filter (where national_portal)::int as "nationalPortal",
           (count(*) filter (where level in ('full', 'partial')))::float8 / nullif(count(*), 0) as "onlineShare"
    from procedures`
  const [s] = await sql`
    select count(*)::int as responses,
           (count(*) filter (where score >= 4))::float8 / nullif(count(*), 0) as rate,
           sum(score)::float8 / nullif(count(*), 0) as "avgScore"
    from survey_answers where submitted_at >= ${from} and submitted_at < ${to} ${ward} ${unit}`
  const [k] = await sql`
    with k as (
      select *, done_at >= ${from} and done_at < ${to} as fin,
             issued_at < ${to} and not coalesce(done_at < ${to}, false) and status <> 'cancelled' as open_at_to
      from tasks where true ${ward} ${unit}
    )
    select
      count(*) filter (where issued_at >= ${from} and issued_at < ${to})::int as issued,
      count(*) filter (where fin)::int as done,
      count(*) filter (where fin and done_at <= due_at)::int as "doneOnTime",
      (count(*) filter (where fin and done_at <= due_at))::float8 / nullif(count(*) filter (where fin), 0)
        as "onTimeRate",
      count(*) filter (where open_at_to)::int as open,
      count(*) filter (where open_at_to and due_at < ${to})::int as overdue
    from k`
  return { tickets: t, dossiers: d, procedures: p, satisfaction: s, tasks: k } as unknown as KpiSet
}

/**
 * docs/design.md §10's units, straight from the raw rows: every unit with an item in `[from, to)`
 * (received, resolved, finished, issued, done, answered) or open work at `to`, sorted.
 */
export async function referenceScorecardUnits(sql: Sql, from: Date, to: Date): Promise<string[]> {
  const inWindow = (c: string) => sql`(${sql(c)} >= ${from} and ${sql(c)} < ${to})`
  const rows = await sql<Array<{ unit: string }>>`
    select unit from tickets
    where ${inWindow('received_at')} or ${inWindow('resolved_at')}
       or (received_at < ${to} and not coalesce(closed_effective_at < ${to}, false))
    union
    select unit from dossiers
    where ${inWindow('received_at')} or ${inWindow('finished_at')}
       or (received_at < ${to} and not coalesce(finished_at < ${to}, false) and status not in ('withdrawn', 'rejected'))
    union
    select unit from tasks
    where ${inWindow('issued_at')} or ${inWindow('done_at')}
       or (issued_at < ${to} and not coalesce(done_at < ${to}, false) and status <> 'cancelled')
    union
    select unit from survey_answers where ${inWindow('submitted_at')}`
  return rows
    .map((r) => r.unit)
    .filter((u) => u !== null)
    .sort()
}
