/**
 * Local-time arithmetic for the city's time zone (docs/design.md §1: "today" and daily buckets follow
 * it), with `Intl` only: the offset of a zone at an instant, and local midnights and hours.
 */

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    formatters.set(timeZone, f)
  }
  return f
}

export type LocalParts = {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

/** The wall-clock reading in `timeZone` at `instant` (month 1–12). */
export function localParts(instant: Date, timeZone: string): LocalParts {
  const parts: Record<string, number> = {}
  for (const p of formatter(timeZone).formatToParts(instant)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value)
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  }
}

/** Milliseconds the zone is ahead of UTC at `instant`. */
function offsetAt(ms: number, timeZone: string): number {
  const p = localParts(new Date(ms), timeZone)
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second)
  return asUtc - (ms - (((ms % 1000) + 1000) % 1000))
}

/** The instant of a local wall-clock time (normalized: day 32 rolls into the next month). */
export function fromLocal(timeZone: string, year: number, month: number, day: number, hour = 0): Date {
  const wall = Date.UTC(year, month - 1, day, hour)
  // Two passes settle the offset on either side of a daylight-saving change.
  const first = wall - offsetAt(wall, timeZone)
  return new Date(wall - offsetAt(first, timeZone))
}

/** Start of the local day that contains `instant`. */
export function localDayStart(instant: Date, timeZone: string): Date {
  const p = localParts(instant, timeZone)
  return fromLocal(timeZone, p.year, p.month, p.day)
}

/** Start of the local day `days` after the one containing `instant`. */
export function addLocalDays(instant: Date, days: number, timeZone: string): Date {
  const p = localParts(instant, timeZone)
  return fromLocal(timeZone, p.year, p.month, p.day + days)
}

/** Start of the local hour that contains `instant`. */
export function localHourStart(instant: Date, timeZone: string): Date {
  const p = localParts(instant, timeZone)
  const ms = instant.getTime()
  return new Date(ms - (((ms % 1000) + 1000) % 1000) - (p.minute * 60 + p.second) * 1000)
}

const pad = (n: number) => String(n).padStart(2, '0')

/** `YYYY-MM-DD` of the local day containing `instant`. */
export function localDayKey(instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone)
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`
}

/**
 * Whether a breakdown's day (`YYYY-MM-DD`) or month (`YYYY-MM`) bucket is the city's current one
 * at `now`, so not over yet: a trend draws it as partial (issue #19: today's half-counted figures
 * at 1 am are no fall). The one rule for the wall's trends and the leader's.
 */
export function isPartialBucket(key: string, now: Date | number, timeZone: string): boolean {
  return key.length >= 7 && localDayKey(new Date(now), timeZone).startsWith(key)
}

/** `YYYY-MM-DDTHH` of the local hour containing `instant`. */
export function localHourKey(instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone)
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}`
}

/**
 * Today so far in the city: `[local midnight, now)`. Ending at now (not at the next midnight)
 * makes the "open at `to`" keys (open, overdue) the state of the city right now.
 */
export function todayWindow(now: Date, timeZone: string): { from: Date; to: Date } {
  const from = localDayStart(now, timeZone)
  return { from, to: new Date(Math.max(now.getTime(), from.getTime() + 1)) }
}

/** How a city time reads: `15:30 28/11/2026` (vi) / `28/11/2026 15:30` (en), without the year, a day, or a time. */
export type CityTimeStyle = 'dateTime' | 'shortDateTime' | 'date' | 'dayMonth' | 'time' | 'timeSeconds'

const cityTimeParts: Record<Exclude<CityTimeStyle, 'dayMonth'>, Intl.DateTimeFormatOptions> = {
  dateTime: { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' },
  shortDateTime: { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit' },
  date: { day: '2-digit', month: '2-digit', year: 'numeric' },
  time: { hour: '2-digit', minute: '2-digit' },
  timeSeconds: { hour: '2-digit', minute: '2-digit', second: '2-digit' },
}

const cityFormatters = new Map<string, Intl.DateTimeFormat>()

/**
 * The one city date-time format: 24-hour, day before month, in the city's zone, in the reader's
 * language (`vi` or `en`), so a time reads alike on the wall, the leader view and a briefing.
 */
export function formatCityTime(
  instant: Date | string | number,
  timeZone: string,
  lang: 'vi' | 'en' = 'vi',
  style: CityTimeStyle = 'dateTime',
): string {
  if (style === 'dayMonth') {
    // Written out: vi-VN's own day-month form is "04-12", unlike its dates ("04/12/2026").
    const p = localParts(new Date(instant), timeZone)
    return `${pad(p.day)}/${pad(p.month)}`
  }
  const key = `${timeZone}|${lang}|${style}`
  let f = cityFormatters.get(key)
  if (!f) {
    const options = { timeZone, hourCycle: 'h23', ...cityTimeParts[style] } as const
    f = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'vi-VN', options)
    cityFormatters.set(key, f)
  }
  return f.format(new Date(instant))
}

/** `YYYY-MM-DDTHH:mm` of `instant` in the city: the value a `datetime-local` input shows. */
export function localInputValue(instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone)
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`
}

/** The instant of a `datetime-local` value read as the city's wall clock; null when it is not one. */
export function fromLocalInput(value: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value)
  if (!m) return null
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number]
  const at = new Date(fromLocal(timeZone, year, month, day, hour).getTime() + minute * 60_000)
  return Number.isNaN(at.getTime()) ? null : at
}
