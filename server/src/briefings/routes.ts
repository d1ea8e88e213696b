import { createReadStream, existsSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { Readable } from 'node:stream'
import {
  type BriefingList,
  type BriefingStarted,
  briefingRequestSchema,
  isRealDay,
  localDayOf,
} from '@citydeck/shared'
import { Hono } from 'hono'
import { type AccessEnv, requireRole } from '../access/middleware'
import type { AppDeps } from '../context'
import { apiError } from '../http/errors'
import { refuseNonJsonType } from '../http/json-body'
import { logger } from '../observability/logger'
import { selfUrl } from '../snapshots/routes'
import { claimBriefing, findBriefing, listBriefings } from './repository.sql'
import { type BriefingStep, runBriefing } from './run'

const log = logger.child({ module: 'briefings' })

/**
 * `/api/v1/briefings`: the daily briefings written so far, their PDFs, and `POST` to make one
 * now (leaders). The POST claims the day, answers 202 and runs the schedule's own code; the
 * list then shows the day's `step` until it is done or failed.
 */
export function briefingRoutes(deps: AppDeps) {
  /** Days this process is making now, with the step each has reached. */
  const progress = new Map<string, BriefingStep>()
  return new Hono<AccessEnv>()
    .use(requireRole(deps, 'leader', 'admin'))
    .get('/', async (c) => {
      const rows = await listBriefings(deps.sql)
      const body: BriefingList = {
        schedule: deps.config.BRIEFING_SCHEDULE || null,
        timeZone: deps.city.profile.timeZone,
        items: rows.map(({ file, startedAt, finishedAt, ...r }) => ({
          ...r,
          startedAt: startedAt.toISOString(),
          finishedAt: finishedAt?.toISOString() ?? null,
          ...(r.status === 'running' && progress.has(r.day) ? { step: progress.get(r.day) } : {}),
          pdfUrl: r.status === 'done' && file ? `/api/v1/briefings/${r.day}.pdf` : null,
          snapshotUrl: r.snapshotId ? `/snapshots/${r.snapshotId}` : null,
        })),
      }
      return c.json(body)
    })
    .post('/', async (c) => {
      // No body: today. A body is JSON like on every other route (415, 400 malformed).
      const text = await c.req.text()
      let raw: unknown = {}
      if (text.trim() !== '') {
        const refused = refuseNonJsonType(c)
        if (refused) return refused
        try {
          raw = JSON.parse(text)
        } catch {
          raw = undefined
        }
      }
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        return apiError(
          c,
          400,
          'malformed',
          'send a JSON object, e.g. {"date": "2026-12-02"}, or no body',
          'body',
        )
      }
      const parsed = briefingRequestSchema.safeParse(raw)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!
        return apiError(c, 422, 'invalid', `date: ${issue.message}`, 'date')
      }
      const today = localDayOf(deps.clock(), deps.city.profile.timeZone)
      const day = parsed.data.date ?? today
      if (!isRealDay(day) || day > today) {
        return apiError(c, 422, 'invalid', `date: ${day} is not a day up to today (${today})`, 'date')
      }
      if (!existsSync(deps.config.CHROMIUM_PATH)) {
        return apiError(
          c,
          503,
          'chromium_missing',
          `Chưa cài Chromium / no Chromium at ${deps.config.CHROMIUM_PATH}: install it (apt-get install chromium) or set CHROMIUM_PATH`,
        )
      }
      // Retake: a leader may make a finished or failed day again, never one being made now.
      if (!(await claimBriefing(deps.sql, day, true))) {
        return apiError(
          c,
          409,
          'conflict',
          `the briefing of ${day} is being made now; follow it in GET /api/v1/briefings`,
          'date',
        )
      }
      progress.set(day, 'claim')
      const ctx = { deps, baseUrl: selfUrl(c) }
      void runBriefing(ctx, day, { claimed: true, onStep: (step) => progress.set(day, step) })
        .then((result) => log.info(result, 'briefing written on request'))
        .catch((error) => log.error({ err: error, day }, 'briefing on request failed'))
        .finally(() => progress.delete(day))
      const body: BriefingStarted = { day, status: 'running', statusUrl: '/api/v1/briefings' }
      return c.json(body, 202)
    })
    .get('/:file{\\d{4}-\\d{2}-\\d{2}\\.pdf}', async (c) => {
      const day = c.req.param('file').slice(0, 10)
      // A day that does not exist (0000-00-00, 2026-02-30) has no briefing; PostgreSQL would refuse it.
      if (!isRealDay(day))
        return apiError(c, 404, 'not_found', `no briefing PDF for ${day}: not a real day`, 'day')
      const row = await findBriefing(deps.sql, day)
      const size = row?.file
        ? await stat(row.file).then(
            (s) => s.size,
            () => null,
          )
        : null
      if (!row?.file || size === null) return apiError(c, 404, 'not_found', `no briefing PDF for ${day}`)
      c.header('Content-Type', 'application/pdf')
      c.header('Content-Length', String(size))
      c.header('Content-Disposition', `attachment; filename="citydeck-briefing-${day}.pdf"`)
      return c.body(Readable.toWeb(createReadStream(row.file)) as ReadableStream)
    })
}
