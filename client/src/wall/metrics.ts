import type { KpiSet } from '@citydeck/shared'
import type { MetricPath } from './scenes'

/** The value of a KPI key path (`tickets.onTimeRate`) in a KPI set; null when absent or undefined. */
export function metricValue(kpis: KpiSet | null | undefined, path: MetricPath): number | null {
  if (!kpis) return null
  const [feed, key] = path.split('.') as [keyof KpiSet, string]
  const value = (kpis[feed] as Record<string, unknown> | undefined)?.[key]
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

type DayGroup = { key: string; kpis: KpiSet }

/**
 * Daily groups folded into months for a rate: each day's rate weighted by its denominator
 * (online share by dossiers received), so a quiet day counts less than a busy one.
 */
export function monthlyRate(
  groups: DayGroup[],
  path: MetricPath,
): Array<{ key: string; value: number | null }> {
  const weightOf: Record<string, MetricPath> = {
    'dossiers.onlineRate': 'dossiers.received',
    'dossiers.onTimeRate': 'dossiers.finished',
    'tickets.onTimeRate': 'tickets.resolved',
    'satisfaction.rate': 'satisfaction.responses',
  }
  const weightPath = weightOf[path]
  const months = new Map<string, { sum: number; weight: number }>()
  for (const group of groups) {
    const month = group.key.slice(0, 7)
    const entry = months.get(month) ?? { sum: 0, weight: 0 }
    const value = metricValue(group.kpis, path)
    const weight = weightPath ? (metricValue(group.kpis, weightPath) ?? 0) : 1
    if (value !== null && weight > 0) {
      entry.sum += value * weight
      entry.weight += weight
    }
    months.set(month, entry)
  }
  return [...months.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, { sum, weight }]) => ({ key, value: weight > 0 ? sum / weight : null }))
}
