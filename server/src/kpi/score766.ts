import type { KpiSet, Score766 } from '@citydeck/shared'

/**
 * QĐ 766-style scoring (Decision 766/QĐ-TTg on the public-service index), the one place its
 * thresholds live. Each part earns `points x min(1, rate / fullAt)`: linear below the
 * threshold, full points at or above it; a part whose rate is null (no data) earns null.
 */
export const score766Thresholds = {
  /** Progress (20): QĐ 766 indicator 2.1, `dossiers.progressRate`; full points only at 100%. */
  progress: [{ key: 'dossiers.progressRate', points: 20, fullAt: 1 }],
  /** Online service (22): share of procedures online, and of dossiers submitted online. */
  onlineService: [
    { key: 'procedures.onlineShare', points: 11, fullAt: 0.8 },
    { key: 'dossiers.onlineRate', points: 11, fullAt: 0.5 },
  ],
  /** Digitisation (22): digitized inputs and electronic results. */
  digitisation: [
    { key: 'dossiers.digitizedInputRate', points: 11, fullAt: 0.8 },
    { key: 'dossiers.digitizedResultRate', points: 11, fullAt: 0.8 },
  ],
  /** Satisfaction (18): `satisfaction.rate`. */
  satisfaction: [{ key: 'satisfaction.rate', points: 18, fullAt: 0.9 }],
} as const
/** Publicity (18) needs data the feeds do not carry yet, so it is reported as null. */
export const publicityMaxPoints = 18

type Part = (typeof score766Thresholds)[keyof typeof score766Thresholds][number]

function rateOf(kpis: KpiSet, key: Part['key']): number | null {
  const [feed, name] = key.split('.') as [keyof KpiSet, string]
  return (kpis[feed] as Record<string, number | null>)[name] ?? null
}

function group(kpis: KpiSet, parts: readonly Part[]): Score766['progress'] {
  const max = parts.reduce((sum, p) => sum + p.points, 0)
  const scored = parts.map((p) => {
    const rate = rateOf(kpis, p.key)
    return {
      key: p.key,
      rate,
      max: p.points,
      fullAt: p.fullAt,
      points: rate === null ? null : p.points * Math.min(1, rate / p.fullAt),
    }
  })
  const known = scored.filter((s) => s.points !== null)
  const points = known.length === scored.length ? known.reduce((sum, s) => sum + s.points!, 0) : null
  // The group's rate: the single part's rate, or the mean of its parts' rates.
  const rate =
    known.length === scored.length ? scored.reduce((sum, s) => sum + s.rate!, 0) / scored.length : null
  return { points, max, rate, parts: scored }
}

/** Scores `kpis` per QĐ 766 group; `total`/`max` add up the groups that have data. */
export function score766(kpis: KpiSet): Score766 {
  const progress = group(kpis, score766Thresholds.progress)
  const onlineService = group(kpis, score766Thresholds.onlineService)
  const digitisation = group(kpis, score766Thresholds.digitisation)
  const satisfaction = group(kpis, score766Thresholds.satisfaction)
  const scored = [progress, onlineService, digitisation, satisfaction].filter((g) => g.points !== null)
  return {
    progress,
    onlineService,
    digitisation,
    satisfaction,
    publicity: null,
    total: scored.length ? scored.reduce((sum, g) => sum + g.points!, 0) : null,
    max: scored.reduce((sum, g) => sum + g.max, 0),
  }
}
