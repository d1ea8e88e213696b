import type { AppDeps } from '../context'
import type { Sql } from '../db/connection'
import { logger } from '../observability/logger'
import { settlesWithin } from '../settles-within'

const log = logger.child({ module: 'kpi.fold' })

/** Pending rows folded per feed and transaction: bounds one fold's time and locks. */
export const foldBatch = 20_000

/** Pending rows every feed's KPI triggers appended that no fold has applied yet. */
export async function pendingRows(sql: Sql): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select ((select count(*) from kpi_ticket_pending) + (select count(*) from kpi_dossier_pending)
         + (select count(*) from kpi_survey_pending) + (select count(*) from kpi_task_pending))::bigint as n`
  return row?.n ?? 0
}

/**
 * One fold (`kpi_fold_pending`, kpi/sql/fold.sql): moves up to `foldBatch` pending
 * rows of each feed into the rollups in one transaction. Returns the pending rows folded;
 * 0 when another process is folding (it does not wait) unless `wait`.
 */
export async function foldPending(sql: Sql, options: { wait?: boolean } = {}): Promise<number> {
  const [row] = await sql<[{ folded: number }]>`
    select kpi_fold_pending(${foldBatch}, ${options.wait ?? false}) as folded`
  return row.folded
}

/** Folds until nothing is pending (waiting for other folders): tests and tools use it. */
export async function foldAll(sql: Sql): Promise<number> {
  let total = 0
  for (;;) {
    const folded = await foldPending(sql, { wait: true })
    total += folded
    if (folded === 0) return total
  }
}

/**
 * Folds pending KPI events about every `everyMs` (and again at once while a fold was full),
 * so the pending tables that every KPI query reads stay small. Safe with several server
 * processes: a fold skips when another process holds the fold lock. `stop` waits for a fold
 * in progress, briefly.
 */
export function startKpiFolder(deps: Pick<AppDeps, 'sql'>, everyMs = 1_000) {
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let stopped = false

  const tick = async () => {
    try {
      let folded: number
      do folded = await foldPending(deps.sql)
      while (folded >= foldBatch && !stopped)
    } catch (error) {
      if (!stopped) log.warn({ err: error }, 'folding pending KPI events failed')
    }
  }
  const schedule = () => {
    if (stopped) return
    timer = setTimeout(() => {
      timer = undefined
      running = tick().finally(() => {
        running = undefined
        schedule()
      })
    }, everyMs)
    timer.unref()
  }
  schedule()

  return {
    /**
     * Waits for a fold in progress at most `stopWaitMs`: a full fold after a large backfill can
     * outlast the shutdown's whole budget on a busy machine (docs/design.md §11). A fold cut by
     * the database closing is rolled back; its rows stay pending for the next start.
     */
    stop: async (stopWaitMs = 2_000) => {
      stopped = true
      if (timer !== undefined) clearTimeout(timer)
      await settlesWithin(running, stopWaitMs)
    },
  }
}
