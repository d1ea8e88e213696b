import { randomBytes } from 'node:crypto'
import type { CreateSnapshot, SnapshotRecord } from '@citydeck/shared'
import { redactDeep } from '@citydeck/shared/redact'
import { formatCityTime } from '@citydeck/shared/time'
import type { Principal } from '../access/principal'
import type { AppDeps } from '../context'
import { freezeView } from './freeze'
import { ChromiumMissing, RenderBusy, type RenderFormat, renderSnapshot } from './render'
import { renderCacheFor } from './render-cache'
import { insertSnapshot, type SnapshotRow } from './repository.sql'

/**
 * Freezes a view, as `principal` may read it, into a new snapshot; the random id is the
 * permalink's capability.
 */
export async function createSnapshot(
  deps: Pick<AppDeps, 'sql' | 'readSql' | 'city' | 'clock'>,
  principal: Pick<Principal, 'role'>,
  input: CreateSnapshot,
  createdBy: string | null,
): Promise<{ id: string; url: string }> {
  const createdAt = deps.clock()
  const data = await freezeView(deps, principal, input.view, input.filters, createdAt)
  const id = randomBytes(12).toString('base64url')
  await insertSnapshot(deps.sql, {
    id,
    view: input.view,
    filters: input.filters,
    title: input.title ?? null,
    data,
    createdBy,
    createdAt,
    expiresAt: input.expiresInDays ? new Date(createdAt.getTime() + input.expiresInDays * 86_400_000) : null,
  })
  return { id, url: `/snapshots/${id}` }
}

/** Whether the link still works: not revoked and not past its expiry. */
export function isLive(row: Pick<SnapshotRow, 'revokedAt' | 'expiresAt'>, now: Date): boolean {
  return !row.revokedAt && (!row.expiresAt || row.expiresAt > now)
}

/** The API shape of a snapshot; personal data only for those allowed to see it. */
export function toRecord(row: SnapshotRow, withPersonalData: boolean): SnapshotRecord {
  return {
    id: row.id,
    url: `/snapshots/${row.id}`,
    view: row.view,
    filters: row.filters,
    title: row.title,
    createdAt: row.createdAt.toISOString(),
    createdBy: withPersonalData ? row.createdBy : null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    data: withPersonalData ? row.data : redactDeep(row.data),
  }
}

/**
 * A snapshot as PDF or PNG, printed from its page on this server (`baseUrl`) once and then
 * served from the render cache. `bounded` (a request from anyone with the link) may be refused
 * with RenderBusy when the queue is full; the daily briefing waits its turn.
 */
export function renderSnapshotFile(
  deps: Pick<AppDeps, 'config' | 'city' | 'clock' | 'metrics'>,
  row: SnapshotRow,
  baseUrl: string,
  format: RenderFormat,
  options: { bounded?: boolean } = {},
): Promise<Buffer> {
  const cache = renderCacheFor(deps)
  return cache.get(row.id, format, () => {
    try {
      return renderFile(
        deps,
        row,
        baseUrl,
        format,
        options.bounded ? deps.config.SNAPSHOT_RENDER_QUEUE : null,
      )
    } catch (error) {
      if (error instanceof RenderBusy) cache.renders.inc({ format, outcome: 'busy' })
      throw error
    }
  })
}

/** Drops the rendered files of a revoked snapshot. */
export function forgetRenders(deps: Pick<AppDeps, 'metrics'>, id: string): void {
  renderCacheFor(deps).forget(id)
}

function renderFile(
  deps: Pick<AppDeps, 'config' | 'city' | 'clock'>,
  row: SnapshotRow,
  baseUrl: string,
  format: RenderFormat,
  maxWaiting: number | null,
): Promise<Buffer> {
  const { profile } = deps.city
  const when = (iso: string | Date) => formatCityTime(iso, profile.timeZone)
  const f = row.filters
  const days = f.from === f.to ? day(f.from) : `${day(f.from)} – ${day(f.to)}`
  return renderSnapshot(
    {
      chromiumPath: deps.config.CHROMIUM_PATH,
      pageUrl: `${baseUrl}/snapshots/${row.id}?print=1`,
      format,
      header: `${profile.name} · ${row.title ?? 'Bản chụp'} · ${days}`,
      footer: `Số liệu lúc ${when(row.createdAt)} · Tạo tệp lúc ${when(deps.clock())} · citydeck`,
    },
    maxWaiting,
  )
}

function day(iso: string): string {
  const [y, m, d] = iso.split('-')
  return `${d}/${m}/${y}`
}

export { ChromiumMissing, RenderBusy }
