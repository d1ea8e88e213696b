/** Time windows the wall asks the KPI API for, in the city's time zone (DESIGN §1: "today" is local). */

function offsetMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at)
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000)
}

/** Local midnight (start of the city's day) containing `at`, `daysBack` days earlier. */
export function startOfLocalDay(at: Date, timeZone: string, daysBack = 0): Date {
  const offset = offsetMinutes(at, timeZone)
  const local = new Date(at.getTime() + offset * 60_000)
  const midnightLocal = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - daysBack)
  // Re-read the offset at that instant so a DST change between then and now is respected.
  const guess = new Date(midnightLocal - offset * 60_000)
  return new Date(midnightLocal - offsetMinutes(guess, timeZone) * 60_000)
}

/** Start of the local month `monthsBack` months before the one containing `at`. */
export function startOfLocalMonth(at: Date, timeZone: string, monthsBack = 0): Date {
  const offset = offsetMinutes(at, timeZone)
  const local = new Date(at.getTime() + offset * 60_000)
  const first = Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - monthsBack, 1)
  const guess = new Date(first - offset * 60_000)
  return new Date(first - offsetMinutes(guess, timeZone) * 60_000)
}

export type Window = { from: string; to: string }

/** The named windows of the wall's scenes: today, the last 30 days, the last 12 months. */
export function wallWindows(now: Date, timeZone: string): Record<'today' | 'days30' | 'months12', Window> {
  const to = now.toISOString()
  return {
    today: { from: startOfLocalDay(now, timeZone).toISOString(), to },
    days30: { from: startOfLocalDay(now, timeZone, 29).toISOString(), to },
    months12: { from: startOfLocalMonth(now, timeZone, 11).toISOString(), to },
  }
}
