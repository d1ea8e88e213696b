import type { AppDeps } from '../context'
import { logger } from '../observability/logger'
import { analyzeTable, type StaleRule, staleTables } from './statistics.sql'

const log = logger.child({ module: 'db.statistics' })

/**
 * Written past this since their last ANALYZE, tables are analyzed again: 20 % of their rows
 * (autovacuum's default is 10 %, but a minute or more late), and at least 1,000.
 */
export const staleRule: StaleRule = { minRows: 1_000, share: 0.2 }

/** Analyzes the tables whose statistics are stale by `rule`; returns the ones it analyzed. */
export async function analyzeStale(sql: AppDeps['sql'], rule: StaleRule = staleRule): Promise<string[]> {
  const tables = await staleTables(sql, rule)
  for (const table of tables) await analyzeTable(sql, table)
  return tables
}

/**
 * Keeps the planner's statistics current after bulk writes, checked every `everyMs` by every
 * process (a check is one read of PostgreSQL's activity counters). Autovacuum analyzes a table
 * only at its next round (a minute apart, later on a busy server), and until then the planner
 * plans for the table's size before the write: after a bulk import of 100,000 overdue tickets,
 * a wall's snapshot read its newest 200 alerts by a bitmap scan and sort of all of them (140 ms)
 * instead of down the `alerts_current` index (0.06 ms). An ANALYZE samples at most 30,000
 * rows, whatever the table's size.
 */
export function startStatisticsKeeper(deps: Pick<AppDeps, 'sql' | 'database'>, everyMs = 5_000) {
  let stopped = false
  let running = false
  const check = async () => {
    // While the database is away the outage is reported elsewhere; the next check catches up.
    if (running || stopped || !deps.database.isUp) return
    running = true
    try {
      const analyzed = await analyzeStale(deps.sql)
      if (analyzed.length) log.debug({ tables: analyzed }, 'analyzed tables after bulk writes')
    } catch (error) {
      if (!stopped) log.warn({ err: error }, 'analyzing stale tables failed; the next check retries')
    } finally {
      running = false
    }
  }
  const timer = setInterval(() => void check(), everyMs)
  timer.unref()
  return {
    stop: () => {
      stopped = true
      clearInterval(timer)
    },
  }
}
