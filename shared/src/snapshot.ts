import { z } from 'zod'
import { dossierPageSchema, procedureCatalogSchema, ticketPageSchema } from './api'
import { storedTaskSchema } from './direction'
import { inYearRange, isoDateTime } from './feeds/common'
import { kpiBreakdownSchema, kpiResponseSchema } from './kpi/keys'
import { fromLocal, localDayKey } from './time'

/** The leader view's screens a snapshot can freeze. */
export const leaderViews = ['city', 'ward', 'tickets', 'dossiers'] as const
export type LeaderView = (typeof leaderViews)[number]

/** A calendar day `YYYY-MM-DD` that exists (no 2026-02-30) between 1900 and 2999. */
export function isRealDay(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false
  const noon = new Date(`${day}T12:00:00Z`)
  return (
    !Number.isNaN(noon.getTime()) &&
    noon.toISOString().slice(0, 10) === day &&
    inYearRange(noon.toISOString())
  )
}

const localDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a local day YYYY-MM-DD')
  .refine(isRealDay, 'a real day between 1900 and 2999')

/**
 * The leader view's filters, as kept in the URL (shareable) and frozen in a snapshot.
 * `from`/`to` are city-local days, `to` inclusive; `preset` only says how they were chosen.
 */
export const leaderFiltersSchema = z.object({
  preset: z.enum(['today', '7d', 'month', 'quarter', 'year', 'custom']).default('7d'),
  from: localDay,
  to: localDay,
  ward: z.string().max(50).optional(),
  unit: z.string().max(100).optional(),
  category: z.string().max(100).optional(),
  field: z.string().max(200).optional(),
  q: z.string().max(200).optional(),
  sort: z.enum(['receivedAt', '-receivedAt', 'dueAt']).optional(),
  /** List pages: open items in this SLA state now (shared/src/sla.ts). */
  sla: z.enum(['overdue', 'soon', 'ontime']).optional(),
  /** List pages: items in this status. */
  status: z.string().max(32).optional(),
})
export type LeaderFilters = z.infer<typeof leaderFiltersSchema>

/** `GET /api/v1/leader-view`: the screen and its filters, as query parameters. */
export const leaderViewQuerySchema = leaderFiltersSchema.extend({ view: z.enum(leaderViews) })
export type LeaderViewQuery = z.infer<typeof leaderViewQuerySchema>

/** `POST /api/v1/snapshots` body (docs/design.md §1). */
export const createSnapshotSchema = z.object({
  view: z.enum(leaderViews),
  filters: leaderFiltersSchema,
  title: z.string().max(200).optional(),
  /** Days until the link stops working; none: it lasts until revoked. */
  expiresInDays: z.number().int().min(1).max(3650).optional(),
})
export type CreateSnapshot = z.infer<typeof createSnapshotSchema>

const windowSchema = z.object({ from: z.string(), to: z.string() })
const kpisOrNull = kpiResponseSchema.nullable()
const breakdownOrNull = kpiBreakdownSchema.nullable()

/** What a one-day snapshot freezes for its "Tóm tắt" page. */
export const leaderSummaryDataSchema = z.object({
  weekAgoWindow: windowSchema,
  weekAgoKpis: kpisOrNull,
  previousBreakdowns: z.object({ ward: breakdownOrNull, category: breakdownOrNull }),
})
export type LeaderSummaryData = z.infer<typeof leaderSummaryDataSchema>

/**
 * Everything one leader screen shows (`GET /api/v1/leader-view`), read as the caller may read
 * each part's own API: the live page and the frozen snapshot both render this one shape, so a
 * snapshot looks exactly like the view it froze. A part the caller may not read, or whose
 * filters that API refuses, is `null`.
 */
export const leaderViewDataSchema = z
  .object({
    window: windowSchema,
    previousWindow: windowSchema,
    kpis: kpisOrNull,
    previousKpis: kpisOrNull,
    /** The whole city's KPIs for the same window, to compare a ward against. */
    cityKpis: kpisOrNull,
    breakdowns: z.object({
      ward: breakdownOrNull,
      category: breakdownOrNull,
      unit: breakdownOrNull,
      day: breakdownOrNull,
      field: breakdownOrNull,
    }),
    tickets: ticketPageSchema.nullable(),
    dossiers: dossierPageSchema.nullable(),
    /**
     * The city and ward screens' map points (issue #19): the scope's open tickets, soonest
     * deadline first (the most overdue on top), at most `mapTicketCap` (server/src/leader-view/). Absent from older snapshots.
     */
    mapTickets: ticketPageSchema.nullable().optional(),
    /**
     * Frozen views only (the briefing's list after the charts): the scope's dossiers overdue when
     * frozen, most overdue first, at most `listPageSize`.
     */
    overdueDossiers: dossierPageSchema.nullable().optional(),
    /**
     * Tasks overdue when the view was loaded (docs/design.md §9, issue #16: snapshots and briefings carry
     * the overdue tasks), soonest deadline first, narrowed by ward and unit; at most
     * `listPageSize`. Absent from snapshots taken before tasks existed.
     */
    overdueTasks: z
      .object({ items: z.array(storedTaskSchema) })
      .nullable()
      .optional(),
    /**
     * A one-day view's summary, for the briefing's first page "Tóm tắt" (issue #17): the same day
     * a week before, and the previous day's ward and category breakdowns (the day before is
     * `previousKpis`), so the page can say what rose most. Frozen snapshots of one day only.
     */
    summary: leaderSummaryDataSchema.nullable().optional(),
    /**
     * Frozen views only: the catalog entries of the procedures its dossiers name, so the snapshot's
     * page and its PDF (no login, so no catalog) show names, not codes (issue #19). Absent from
     * older snapshots and where the freezing account may not read the catalog.
     */
    procedures: procedureCatalogSchema.shape.items.optional(),
  })
  .meta({ id: 'LeaderViewData' })
export type LeaderViewData = z.infer<typeof leaderViewDataSchema>

/** A snapshot as listed (`GET /api/v1/snapshots`): everything but the frozen data. */
export const snapshotEntrySchema = z
  .object({
    id: z.string(),
    url: z.string(),
    view: z.enum(leaderViews),
    filters: leaderFiltersSchema,
    title: z.string().nullable(),
    createdAt: isoDateTime,
    createdBy: z.string().nullable(),
    expiresAt: isoDateTime.nullable(),
    revokedAt: isoDateTime.nullable(),
  })
  .meta({ id: 'SnapshotEntry' })
export const snapshotListSchema = z
  .object({ items: z.array(snapshotEntrySchema) })
  .meta({ id: 'SnapshotList' })
export type SnapshotList = z.infer<typeof snapshotListSchema>

/** `POST /api/v1/snapshots`: the new snapshot's id and its page. */
export const createdSnapshotSchema = z
  .object({ id: z.string(), url: z.string() })
  .meta({ id: 'CreatedSnapshot', example: { id: 'q3Vw0fJc1xq2Yl8n', url: '/snapshots/q3Vw0fJc1xq2Yl8n' } })

/** `GET /api/v1/snapshots/:id`: the frozen view. */
export const snapshotRecordSchema = snapshotEntrySchema
  .extend({ data: leaderViewDataSchema })
  .meta({ id: 'SnapshotRecord' })
export type SnapshotRecord = z.infer<typeof snapshotRecordSchema>

/** The instant a city-local day `YYYY-MM-DD` starts. */
export function localDayStart(day: string, timeZone: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  return fromLocal(timeZone, y, m, d)
}

/** The city-local day `YYYY-MM-DD` an instant falls on. */
export function localDayOf(at: Date, timeZone: string): string {
  return localDayKey(at, timeZone)
}

/** Adds days to a `YYYY-MM-DD` (calendar arithmetic, no time zone involved). */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10)
}

/**
 * The KPI window `[from, to)` of the filters' days (`to` inclusive), ending no later than `now`:
 * a window that runs into the future would count today's open tickets as they would stand at
 * midnight (docs/design.md §3 states open/overdue "at `to`"), so screens ask for "up to now". The
 * previous window is the same span just before, for the period comparison.
 */
export function filterWindows(
  filters: Pick<LeaderFilters, 'from' | 'to'>,
  timeZone: string,
  now = new Date(),
) {
  const days = Math.round((Date.parse(filters.to) - Date.parse(filters.from)) / 86_400_000) + 1
  const from = localDayStart(filters.from, timeZone)
  const end = localDayStart(addDays(filters.to, 1), timeZone)
  const to = now > from && now < end ? now : end
  const previousFrom = localDayStart(addDays(filters.from, -days), timeZone)
  const window = { from: from.toISOString(), to: to.toISOString() }
  const previousWindow = {
    from: previousFrom.toISOString(),
    to: new Date(previousFrom.getTime() + (to.getTime() - from.getTime())).toISOString(),
  }
  return { window, previousWindow, days }
}

/** The `from`/`to` days of a preset on the day `today` (weeks and quarters as in Vietnam: Monday first). */
export function presetDays(
  preset: LeaderFilters['preset'],
  today: string,
): { from: string; to: string } | null {
  const [y, m] = today.split('-').map(Number) as [number, number]
  const pad = (n: number) => String(n).padStart(2, '0')
  switch (preset) {
    case 'today':
      return { from: today, to: today }
    case '7d':
      return { from: addDays(today, -6), to: today }
    case 'month':
      return { from: `${y}-${pad(m)}-01`, to: today }
    case 'quarter':
      return { from: `${y}-${pad(Math.floor((m - 1) / 3) * 3 + 1)}-01`, to: today }
    case 'year':
      return { from: `${y}-01-01`, to: today }
    default:
      return null
  }
}
