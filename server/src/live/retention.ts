import { pruneChanges } from '../changelog/changelog.sql'
import type { AppDeps } from '../context'
import { logger } from '../observability/logger'

const log = logger.child({ module: 'live.retention' })

/**
 * Deletes change-log rows older than the retention, hourly, in bounded batches (one process
 * at a time: pruneChanges takes an advisory lock). A client gone longer gets a resync snapshot.
 */
export function startPruning(deps: AppDeps, retentionHours: number, everyMs = 3_600_000): () => void {
  const prune = async () => {
    try {
      const before = new Date(deps.clock().getTime() - retentionHours * 3_600_000)
      let total = 0
      for (;;) {
        const deleted = await pruneChanges(deps.sql, before)
        if (!deleted) break
        total += deleted
      }
      if (total) log.info({ deleted: total, before }, 'pruned the change log')
    } catch (error) {
      log.warn({ err: error }, 'pruning the change log failed')
    }
  }
  const first = setTimeout(() => void prune(), 60_000)
  const timer = setInterval(() => void prune(), everyMs)
  first.unref()
  timer.unref()
  return () => {
    clearTimeout(first)
    clearInterval(timer)
  }
}
