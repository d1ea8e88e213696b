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
 * Local calendar of the city for hour slots (slot = floor(ms / 1 h)). Intl is consulted once per
 * slot and cached, since the simulator asks about the same hours again and again.
 */
export class CityCalendar {
  private readonly format: Intl.DateTimeFormat
  private readonly cache = new Map<number, LocalHour>()

  constructor(timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
  }

  slot(slot: number): LocalHour {
    let local = this.cache.get(slot)
    if (!local) {
      if (this.cache.size > 20_000) this.cache.clear()
      const ms = slot * HOUR
      const parts = Object.fromEntries(this.format.formatToParts(ms).map((p) => [p.type, p.value]))
      const asUtc = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!)
      const offsetMinutes = Math.round((asUtc - ms) / 60_000)
      local = {
        offsetMinutes,
        hour: +parts.hour!,
        weekday: new Date(asUtc).getUTCDay(),
        stamp: `${parts.year!.slice(2)}${parts.month}${parts.day}${parts.hour}`,
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
