import { useI18n } from 'vue-i18n'

/** Locale-aware numbers and dates for the leader view (vi-VN: 12.345, 85,3%, 28/11/2026). */
export function useLeaderFormat(timeZone: () => string) {
  const { n, t, locale } = useI18n()
  const intl = () => (locale.value === 'en' ? 'en-GB' : 'vi-VN')
  const num = (v: number | null | undefined) => (v === null || v === undefined ? '—' : n(v, 'integer'))
  const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : n(v, 'percent'))
  const dec = (v: number | null | undefined) => (v === null || v === undefined ? '—' : n(v, 'decimal'))
  const dateTime = (iso: string | null | undefined) =>
    iso
      ? new Intl.DateTimeFormat(intl(), {
          timeZone: timeZone(),
          day: '2-digit',
          month: '2-digit',
          year: 'numeric',
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
        }).format(new Date(iso))
      : '—'
  /** A local day `YYYY-MM-DD` as 28/11/2026. */
  const day = (d: string) => {
    const [y, m, dd] = d.split('-')
    return locale.value === 'en' ? `${dd}/${m}/${y}` : `${dd}/${m}/${y}`
  }
  return { num, pct, dec, dateTime, day, t }
}
