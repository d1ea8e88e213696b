import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { isRealDay } from '@citydeck/shared'
import { Hono } from 'hono'
import { type AccessEnv, requireRole } from '../access/middleware'
import type { AppDeps } from '../context'
import { apiError } from '../http/errors'
import { findBriefing, listBriefings } from './repository.sql'

/** `/api/v1/briefings`: the daily briefings written so far, and their PDFs (leaders). */
export function briefingRoutes(deps: AppDeps) {
  return new Hono<AccessEnv>()
    .use(requireRole(deps, 'leader', 'admin'))
    .get('/', async (c) => {
      const rows = await listBriefings(deps.sql)
      return c.json({
        schedule: deps.config.BRIEFING_SCHEDULE || null,
        items: rows.map(({ file, ...r }) => ({
          ...r,
          pdfUrl: r.status === 'done' && file ? `/api/v1/briefings/${r.day}.pdf` : null,
          snapshotUrl: r.snapshotId ? `/snapshots/${r.snapshotId}` : null,
        })),
      })
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
