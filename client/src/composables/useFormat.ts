import { type CityTimeStyle, formatCityTime } from '@citydeck/shared/time'
import { useI18n } from 'vue-i18n'
import { useCityStore } from '../stores/city'
import type { NumberStyle } from '../wall/scenes'

/** Locale-aware numbers (vi-VN: 12.345, 85,3%) with a dash for "no data" rather than a fake zero. */
export function useFormat() {
  const { n, t, locale } = useI18n()
  const city = useCityStore()
  /** A time in the city's zone (not the screen's), in the one city format (`@citydeck/shared/time`). */
  const cityTime = (instant: Date | string | number, style: CityTimeStyle = 'dateTime'): string =>
    formatCityTime(instant, city.timeZone(), locale.value === 'en' ? 'en' : 'vi', style)
  /**
   * A window `[from, to)` as the days it covers, "20/11–26/11" (one day: "26/11"), so every
   * comparison names its period; `to` is exclusive, so its day is the one just before.
   */
  const period = (w: { from: string; to: string }): string => {
    const first = cityTime(w.from, 'dayMonth')
    const last = cityTime(Math.max(Date.parse(w.from), Date.parse(w.to) - 1), 'dayMonth')
    return first === last ? first : `${first}–${last}`
  }
  const format = (value: number | null | undefined, style: NumberStyle): string =>
    value === null || value === undefined || !Number.isFinite(value) ? '—' : n(value, style)
  /** "3 phút trước" / "3 minutes ago". */
  const relative = (iso: string, now: number): string => {
    const seconds = Math.round((Date.parse(iso) - now) / 1000)
    const rtf = new Intl.RelativeTimeFormat(locale.value === 'en' ? 'en-GB' : 'vi-VN', { numeric: 'auto' })
    const abs = Math.abs(seconds)
    if (abs < 60) return rtf.format(seconds, 'second')
    if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute')
    if (abs < 86_400) return rtf.format(Math.round(seconds / 3600), 'hour')
    return rtf.format(Math.round(seconds / 86_400), 'day')
  }
  /** How long ago something happened; a source clock slightly ahead of ours still reads "now". */
  const since = (iso: string, now: number): string =>
    relative(new Date(Math.min(Date.parse(iso), now)).toISOString(), now)
  /** Whole percentages for chart axes ("50%"). */
  const percentShort = (value: number): string =>
    new Intl.NumberFormat(locale.value === 'en' ? 'en-GB' : 'vi-VN', {
      style: 'percent',
      maximumFractionDigits: 0,
    }).format(value)
  return { format, relative, since, percentShort, cityTime, period, t, n }
}
