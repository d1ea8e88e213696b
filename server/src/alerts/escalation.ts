import type { AppDeps } from '../context'
import { logger } from '../observability/logger'
import { alertFromRow, escalateAlerts } from './alerts.sql'

const log = logger.child({ module: 'alerts' })

/**
 * Escalates overdue ticket and dossier alerts nobody acknowledged within
 * `ALERT_ESCALATE_MINUTES` (docs/design.md §9), checked every `everyMs` by every process: the update
 * gives each alert to exactly one of them, which announces it. Returns a stop function and a
 * `sweep` tests call with their injected clock.
 */
export function startEscalation(deps: AppDeps, everyMs = 15_000) {
  let stopped = false
  const sweep = async () => {
    const now = deps.clock()
    const before = new Date(now.getTime() - deps.config.ALERT_ESCALATE_MINUTES * 60_000)
    try {
      for (const row of await escalateAlerts(deps.sql, before, now)) {
        deps.events.emit('alert.changed', alertFromRow(row))
      }
    } catch (error) {
      if (!stopped) log.warn({ err: error }, 'escalating alerts failed; the next sweep retries')
    }
  }
  const timer = setInterval(() => void sweep(), everyMs)
  timer.unref()
  return {
    sweep,
    stop: () => {
      stopped = true
      clearInterval(timer)
    },
  }
}
