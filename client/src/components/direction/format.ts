import { localDayKey } from '@citydeck/shared/time'
import { intlLocale } from '../../app/i18n'

/**
 * A deadline as a screen says it in the city's time: "15:30" when it falls on today's date,
 * "04/12 15:30" otherwise.
 */
export function dueLabel(iso: string, timeZone: string, lang: string, now: number): string {
  const at = new Date(iso)
  const time = new Intl.DateTimeFormat(intlLocale(lang), {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at)
  if (localDayKey(at, timeZone) === localDayKey(new Date(now), timeZone)) return time
  const day = new Intl.DateTimeFormat(intlLocale(lang), {
    timeZone,
    day: '2-digit',
    month: '2-digit',
  }).format(at)
  return `${day} ${time}`
}
