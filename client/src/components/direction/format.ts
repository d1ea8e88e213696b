import { localDayKey, localParts } from '@citydeck/shared/time'
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
  const p = localParts(at, timeZone)
  return `${String(p.day).padStart(2, '0')}/${String(p.month).padStart(2, '0')} ${time}`
}
