/**
 * A briefing schedule (`BRIEFING_SCHEDULE`, five-field cron in city time) as words a leader
 * reads: the daily and weekday patterns the schedule uses. Anything else gets null, and the
 * screen says only that a schedule is set (the pattern itself is for administrators).
 */
export function describeSchedule(pattern: string, english: boolean): string | null {
  const fields = pattern.trim().split(/\s+/)
  if (fields.length !== 5) return null
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string]
  if (!/^\d{1,2}$/.test(minute) || !/^\d{1,2}(,\d{1,2})*$/.test(hour) || dom !== '*' || month !== '*')
    return null
  if (Number(minute) > 59 || hour.split(',').some((h) => Number(h) > 23)) return null
  const times = hour.split(',').map((h) => `${h.padStart(2, '0')}:${minute.padStart(2, '0')}`)
  const at = times.join(english ? ' and ' : ' và ')
  if (dow === '*') return english ? `Daily at ${at}` : `Hằng ngày lúc ${at}`
  if (dow === '1-5') return english ? `Monday to Friday at ${at}` : `Thứ Hai đến Thứ Sáu lúc ${at}`
  if (dow === '1-6') return english ? `Monday to Saturday at ${at}` : `Thứ Hai đến Thứ Bảy lúc ${at}`
  return null
}
