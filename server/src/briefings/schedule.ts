import { Cron } from 'croner'
import { logger } from '../observability/logger'
import { type BriefingContext, runBriefing, yesterday } from './run'

const log = logger.child({ module: 'briefings' })

/**
 * Runs yesterday's briefing on `BRIEFING_SCHEDULE` (cron, in the city's time zone; empty: off).
 * Every process may run the schedule: the briefing's day is a unique key, so one of them does it.
 */
export function startBriefingSchedule(ctx: BriefingContext): { stop: () => void } {
  const pattern = ctx.deps.config.BRIEFING_SCHEDULE.trim()
  if (!pattern) return { stop: () => {} }
  const timeZone = ctx.deps.city.profile.timeZone
  const job = new Cron(pattern, { timezone: timeZone, protect: true }, async () => {
    const day = yesterday(ctx.deps.clock(), timeZone)
    try {
      const result = await runBriefing(ctx, day)
      log.info(result, result.status === 'done' ? 'briefing written' : 'briefing already taken')
    } catch (error) {
      log.error({ err: error, day }, 'briefing failed')
    }
  })
  return { stop: () => job.stop() }
}
