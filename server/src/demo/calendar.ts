import { localParts } from '@citydeck/shared/time'

export const HOUR = 3_600_000
export const DAY = 24 * HOUR

/** Local time of one hour slot in the city's time zone. */
export type LocalHour = {
  /** Minutes to add to UTC to get local time (420 for Asia/Ho_Chi_Minh). */
  offsetMinutes: number
  hour: number
  /** 0 = Sunday, as in Date#getDay. */
  weekday: number
  /** `yyMMddHH`, used in refs so a ref reads like the time it was filed. */
  stamp: string
}

/**
 * Local calendar of the city for hour slots (slot = floor(ms / 1 h)), read with the shared
 * city-time helpers once per slot and cached, since the simulator asks about the same hours
 * again and again.
 */
export class CityCalendar {
  private readonly cache = new Map<number, LocalHour>()

  constructor(private readonly timeZone: string) {}

  slot(slot: number): LocalHour {
    let local = this.cache.get(slot)
    if (!local) {
      if (this.cache.size > 20_000) this.cache.clear()
      const ms = slot * HOUR
      const p = localParts(new Date(ms), this.timeZone)
      const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute)
      const two = (n: number) => String(n).padStart(2, '0')
      local = {
        offsetMinutes: Math.round((asUtc - ms) / 60_000),
        hour: p.hour,
        weekday: new Date(asUtc).getUTCDay(),
        stamp: `${two(p.year % 100)}${two(p.month)}${two(p.day)}${two(p.hour)}`,
      }
      this.cache.set(slot, local)
    }
    return local
  }

  /**
   * `from` plus `days` working days (skipping the days not in `workingDays`), at the same local
   * time of day. The offset of `from` is used throughout: DST shifts do not matter for a due date.
   */
  addWorkingDays(from: number, days: number, workingDays: readonly number[]): number {
    const offset = this.slot(Math.floor(from / HOUR)).offsetMinutes * 60_000
    let local = from + offset
    let left = Math.ceil(days)
    while (left > 0) {
      local += DAY
      if (workingDays.includes(new Date(local).getUTCDay())) left--
    }
    return local - offset
  }
}

export const iso = (ms: number) => new Date(ms).toISOString()
