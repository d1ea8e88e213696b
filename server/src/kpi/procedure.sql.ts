import type { Sql } from '../db/connection'
import type { KpiWindow } from './compute'
import type { DossierSums } from './rollup.sql'
import type { KpiFilters } from './rollup-reads.sql'

/** `code`: the procedure code or the field (null: a code missing from the catalog). */
export type ProcedureDossierSums = { code: string | null; window: DossierSums; before: DossierSums }

/**
 * Dossier keys per procedure code, straight from the raw rows: the rollups are not split by
 * procedure (130 codes would multiply their size). Only dossiers received or finished in the
 * window, or still unfinished, can count, so the scan (three index ranges) grows with the
 * window and the open backlog, not with the history before it.
 */
export async function dossierSumsByProcedure(
  sql: Sql,
  by: 'procedure' | 'field',
  w: KpiWindow,
  f: KpiFilters,
): Promise<ProcedureDossierSums[]> {
  // A dossier's field (lĩnh vực) comes from the catalog entry of its procedure code.
  const key = by === 'field' ? sql`c.field` : sql`d.procedure_code`
  const rows = await sql<Array<Record<string, number | string>>>`
    with d as (
      select *, received_at >= ${w.from} and received_at < ${w.to} as in_received,
             finished_at >= ${w.from} and finished_at < ${w.to} as in_finished,
             status not in ('withdrawn', 'rejected') and (finished_at is null or finished_at >= ${w.to}) as open_at_to
      from dossiers
      where received_at < ${w.to}
        and (received_at >= ${w.from} or finished_at >= ${w.from} or finished_at is null)
        ${f.ward !== undefined ? sql`and ward_code = ${f.ward}` : sql``}
        ${f.unit !== undefined ? sql`and unit = ${f.unit}` : sql``}
    )
    select ${key} as code,
           count(*) filter (where in_received)::bigint as received,
           count(*) filter (where in_received and channel = 'online')::bigint as "receivedOnline",
           count(*) filter (where in_received and digitized_input)::bigint as "digitizedInput",
           count(*) filter (where in_received and paid_online)::bigint as "paidOnline",
           count(*) filter (where in_received and paid_online is not null)::bigint as "paidKnown",
           count(*) filter (where in_finished)::bigint as finished,
           count(*) filter (where in_finished and finished_at <= due_at)::bigint as "finishedOnTime",
           count(*) filter (where in_finished and digitized_result)::bigint as "digitizedResult",
           coalesce(sum(extract(epoch from finished_at - received_at)) filter (where in_finished), 0)::text
             as "processingSeconds",
           count(*) filter (where open_at_to)::bigint as open,
           count(*) filter (where open_at_to and due_at < ${w.to})::bigint as overdue
    from d
    left join (select distinct on (code) code, field from procedures order by code, updated_at desc) c
      on c.code = d.procedure_code
    group by 1`
  return rows.map((r) => {
    const n = (k: string) => Number(r[k])
    const window: DossierSums = {
      received: n('received'),
      receivedOnline: n('receivedOnline'),
      digitizedInput: n('digitizedInput'),
      paidOnline: n('paidOnline'),
      paidKnown: n('paidKnown'),
      finished: n('finished'),
      finishedOnTime: n('finishedOnTime'),
      digitizedResult: n('digitizedResult'),
      processingSeconds: String(r.processingSeconds),
      openDelta: 0,
      overdueDelta: 0,
    }
    return {
      code: r.code === null ? null : String(r.code),
      window,
      before: { ...window, openDelta: n('open'), overdueDelta: n('overdue') },
    }
  })
}
