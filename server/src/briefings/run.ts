import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { addDays, localDayOf } from '@citydeck/shared'
import type { AppDeps } from '../context'
import { prewarmRenderBrowser } from '../snapshots/render'
import { findSnapshot } from '../snapshots/repository.sql'
import { createSnapshot, renderSnapshotFile } from '../snapshots/service'
import { claimBriefing, finishBriefing } from './repository.sql'

export type BriefingContext = {
  deps: AppDeps
  /** This server's URL, for the headless browser that prints the snapshot page. */
  baseUrl: string
}
export type BriefingStep = 'claim' | 'snapshot' | 'render' | 'write' | 'done' | 'skipped'
export type BriefingResult = { day: string; status: 'done' | 'skipped'; snapshotId?: string; file?: string }

/** Where briefings are written: `BRIEFING_DIR`, or `DATA_DIR/briefings`. */
export function briefingDir(config: AppDeps['config']): string {
  return config.BRIEFING_DIR ?? path.join(config.DATA_DIR, 'briefings')
}

/** The city-local day before `now`: what the morning briefing covers. */
export function yesterday(now: Date, timeZone: string): string {
  return addDays(localDayOf(now, timeZone), -1)
}

/**
 * Produces one day's city briefing: a snapshot of that day, printed to PDF in the briefing
 * folder and recorded in `briefings`. The data is read as a leader reads it (the briefing is the
 * city leaders' report).
 */
export async function runBriefing(
  ctx: BriefingContext,
  day: string,
  options: {
    retake?: boolean
    onStep?: (step: BriefingStep) => void
    /** The caller already claimed the day (`POST /api/v1/briefings`, which answers before the work). */
    claimed?: boolean
  } = {},
): Promise<BriefingResult> {
  const { deps } = ctx
  const step = options.onStep ?? (() => {})
  step('claim')
  if (!options.claimed && !(await claimBriefing(deps.sql, day, options.retake ?? false))) {
    step('skipped')
    return { day, status: 'skipped' }
  }
  // Chromium launches while the day is frozen: the print then starts on a running browser.
  prewarmRenderBrowser(deps.config.CHROMIUM_PATH)
  let snapshotId: string | null = null
  try {
    step('snapshot')
    const [d, m, y] = day.split('-').reverse()
    const created = await createSnapshot(
      deps,
      { role: 'leader' },
      {
        view: 'city',
        filters: { preset: 'custom', from: day, to: day },
        title: `Báo cáo ngày ${d}/${m}/${y}`,
      },
      'briefing',
    )
    snapshotId = created.id
    step('render')
    const row = await findSnapshot(deps.sql, created.id)
    const pdf = await renderSnapshotFile(deps, row!, ctx.baseUrl, 'pdf')
    step('write')
    const dir = briefingDir(deps.config)
    await mkdir(dir, { recursive: true })
    const file = path.join(dir, `citydeck-briefing-${day}.pdf`)
    await writeFile(file, pdf)
    await finishBriefing(deps.sql, day, { snapshotId, file, error: null })
    step('done')
    return { day, status: 'done', snapshotId, file }
  } catch (error) {
    await finishBriefing(deps.sql, day, { snapshotId, file: null, error: (error as Error).message })
    throw error
  }
}
