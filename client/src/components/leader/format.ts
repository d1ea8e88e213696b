import { formatCityTime } from '@citydeck/shared/time'
import { useI18n } from 'vue-i18n'

/** Locale-aware numbers and dates for the leader view (vi-VN: 12.345, 85,3%, 28/11/2026). */
export function useLeaderFormat(timeZone: () => string) {
  const { n, t, locale } = useI18n()
  const num = (v: number | null | undefined) => (v === null || v === undefined ? '—' : n(v, 'integer'))
  const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : n(v, 'percent'))
  const dec = (v: number | null | undefined) => (v === null || v === undefined ? '—' : n(v, 'decimal'))
  const dateTime = (iso: string | null | undefined) =>
    iso ? formatCityTime(iso, timeZone(), locale.value === 'en' ? 'en' : 'vi') : '—'
  /** A local day `YYYY-MM-DD` as 28/11/2026. */
  const day = (d: string) => {
    const [y, m, dd] = d.split('-')
    return locale.value === 'en' ? `${dd}/${m}/${y}` : `${dd}/${m}/${y}`
  }
  return { num, pct, dec, dateTime, day, t }
}
