import { breakdownDimensions, type CityProfile, isoDateTime, storableText } from '@citydeck/shared'
import { addLocalDays, localDayStart, todayWindow } from '@citydeck/shared/time'
import { z } from 'zod'
import { unknownWard } from '../city/profile'
import type { KpiWindow } from './compute'
import type { KpiFilters } from './rollup-reads.sql'

/** The longest window a query may ask for (docs/design.md §3 does not bound it; this keeps it sane). */
export const maxWindowYears = 10
/** Breakdown by hour or day is bounded so one response stays small. */
export const maxGroups = { hour: 24 * 62, day: 3700 } as const

export type KpiQuery = { window: KpiWindow; filters: KpiFilters }
export type ParamError = { field: string; message: string }

const instant = isoDateTime
const text = storableText(200)

/**
 * Parses `from&to&ward&unit&category` (docs/design.md §3). Defaults: today in the city's time zone.
 * Returns the first problem with the parameter it is about, for a 400 that names it.
 */
export function parseKpiQuery(
  query: Record<string, string | undefined>,
  profile: CityProfile,
  now: Date,
): KpiQuery | ParamError {
  const tz = profile.timeZone
  const times: Partial<Record<'from' | 'to', Date>> = {}
  for (const field of ['from', 'to'] as const) {
    const value = query[field]
    if (value === undefined) continue
    if (!instant.safeParse(value).success) {
      return {
        field,
        message: `${field} must be an ISO 8601 date-time with an offset between 1900 and 2999, e.g. 2026-11-28T00:00:00+07:00`,
      }
    }
    times[field] = new Date(value)
  }
  // No window given: today so far, so the state keys describe the city now.
  const today = times.from === undefined && times.to === undefined ? todayWindow(now, tz) : null
  const from =
    today?.from ?? times.from ?? localDayStart(times.to ? new Date(times.to.getTime() - 1) : now, tz)
  const to = today?.to ?? times.to ?? addLocalDays(from, 1, tz)
  if (from >= to)
    return { field: 'to', message: `to (${to.toISOString()}) must be after from (${from.toISOString()})` }
  const limit = new Date(from)
  limit.setUTCFullYear(limit.getUTCFullYear() + maxWindowYears)
  if (to > limit) return { field: 'to', message: `to must be at most ${maxWindowYears} years after from` }

  const filters: KpiFilters = {}
  for (const field of ['ward', 'unit', 'category'] as const) {
    const value = query[field]
    if (value === undefined || value === '') continue
    const parsed = text.safeParse(value)
    if (!parsed.success) return { field, message: `${field} must be 1 to 200 characters, without NUL` }
    filters[field] = parsed.data
  }
  const ward = unknownWard(profile, filters.ward)
  if (ward) return { field: 'ward', message: ward }
  if (filters.category !== undefined && !profile.categories.some((c) => c.code === filters.category)) {
    const codes = profile.categories.map((c) => c.code).join(', ')
    return { field: 'category', message: `unknown category ${filters.category}: one of ${codes}` }
  }
  return { window: { from, to }, filters }
}

export const breakdownSchema = z.enum(breakdownDimensions)

export const isParamError = (x: KpiQuery | ParamError): x is ParamError => 'field' in x
