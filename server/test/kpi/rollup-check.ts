import type { Sql } from '../../src/db/connection'
import { foldAll } from '../../src/kpi/fold'

/** The rollup tables' non-zero rows, in key order: what must equal a rebuild from raw rows. */
export async function rollupContents(sql: Sql) {
  const key = sql`scope, grain, bucket, ward_code, unit`
  return {
    tickets: await sql`select * from kpi_ticket_rollup
      where received <> 0 or resolved <> 0 or resolved_on_time <> 0 or open_delta <> 0 or overdue_delta <> 0
      order by ${key}, category`,
    hist: await sql`select * from kpi_ticket_resolve_hist where n <> 0 order by ${key}, category, bin`,
    // numeric sums compare by value ("0" and "0.000000" are the same sum).
    dossiers: (
      await sql`select * from kpi_dossier_rollup
      where received <> 0 or received_online <> 0 or digitized_input <> 0 or paid_online <> 0 or paid_known <> 0
         or finished <> 0 or finished_on_time <> 0 or digitized_result <> 0 or processing_seconds <> 0
         or open_delta <> 0 or overdue_delta <> 0
      order by ${key}`
    ).map((row) => ({ ...row, processing_seconds: Number(row.processing_seconds) })),
    surveys: await sql`select * from kpi_survey_rollup
      where responses <> 0 or satisfied <> 0 or score_sum <> 0 order by ${key}`,
    tasks: await sql`select * from kpi_task_rollup
      where issued <> 0 or done <> 0 or done_on_time <> 0 or open_delta <> 0 or overdue_delta <> 0
      order by ${key}`,
  }
}

/**
 * Incrementally maintained rollups (the triggers' pending events, folded) versus
 * `kpi_rebuild_rollups()` over the same rows.
 */
export async function incrementalAndRebuilt(sql: Sql) {
  await foldAll(sql)
  const incremental = await rollupContents(sql)
  await sql`select kpi_rebuild_rollups()`
  const rebuilt = await rollupContents(sql)
  return { incremental, rebuilt }
}
