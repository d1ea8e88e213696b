import { formatCityTime, localDayKey } from '@citydeck/shared/time'

/**
 * A deadline as a screen says it in the city's time: "15:30" when it falls on today's date,
 * "04/12 15:30" otherwise.
 */
export function dueLabel(iso: string, timeZone: string, lang: string, now: number): string {
  const at = new Date(iso)
  const language = lang === 'en' ? 'en' : 'vi'
  const time = formatCityTime(at, timeZone, language, 'time')
  if (localDayKey(at, timeZone) === localDayKey(new Date(now), timeZone)) return time
  return `${formatCityTime(at, timeZone, language, 'dayMonth')} ${time}`
}
