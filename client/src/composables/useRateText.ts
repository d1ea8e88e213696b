import { MIN_SAMPLE, rateReading } from '@citydeck/shared/sample'
import { useI18n } from 'vue-i18n'

/** How a rate reads on a screen: its text, whether it is muted, and why (the title). */
export type RateText = { text: string; muted: boolean; small: boolean; title?: string }

/**
 * A rate as every screen shows it (docs/design.md §10): under MIN_SAMPLE items its count (`3/3`, muted,
 * titled "small sample"), never a bare `100 %`; no items: a dash. The rule is sample.ts's.
 */
export function useRateText() {
  const { n, t } = useI18n()
  return (rate: number | null | undefined, sample: number | null | undefined): RateText => {
    const reading = rateReading(rate ?? null, sample ?? 0)
    if (reading.kind === 'none') return { text: '—', muted: true, small: false }
    if (reading.kind === 'count') {
      const { part, whole } = reading
      return {
        text: `${part}/${whole}`,
        muted: true,
        small: true,
        title: t('sample.small', { min: MIN_SAMPLE, part, whole }),
      }
    }
    return { text: n(reading.rate, 'percent'), muted: false, small: false }
  }
}
