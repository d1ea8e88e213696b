import type { BreakdownDimension, KpiBreakdown, KpiSet } from '@citydeck/shared'
import { addLocalDays, localDayKey, localDayStart, localHourKey, localHourStart } from '@citydeck/shared/time'
import type { AppDeps } from '../context'
import { type CatalogCounts, catalogByProcedure } from './catalog.sql'
import {
  computeKpiGroups,
  computeKpis,
  emptyKpiSet,
  type KpiWindow,
  kpiSet,
  zeroDossiers,
  zeroSurveys,
  zeroTasks,
  zeroTickets,
} from './compute'
import { maxGroups } from './params'
import { dossierSumsByProcedure } from './procedure.sql'
import type { KpiFilters } from './rollup-reads.sql'

type Group = { key: string; label: string; kpis: KpiSet }
export class TooManyGroups extends Error {}

/**
 * The same keys per group (docs/design.md §3). Every group is the query with one more filter: a ward,
 * unit or category group adds that filter (category narrows tickets only), a procedure or field
 * group narrows dossiers and the catalog only, a day or hour group is that local day or hour
 * clipped to the window.
 */
export async function breakdown(
  deps: Pick<AppDeps, 'sql' | 'city'>,
  by: BreakdownDimension,
  window: KpiWindow,
  filters: KpiFilters,
): Promise<Omit<KpiBreakdown, 'window' | 'filters'>> {
  const { sql, city } = deps
  const profile = city.profile
  const perFilter = async (field: keyof KpiFilters, values: Array<{ key: string; label: string }>) =>
    Promise.all(
      values.map(async (v) => {
        const [kpis] = await computeKpis(sql, [window], { ...filters, [field]: v.key })
        return { ...v, kpis: kpis! }
      }),
    )
  let groups: Group[]
  switch (by) {
    case 'ward':
      groups = await perFilter(
        'ward',
        profile.wards
          .filter((w) => filters.ward === undefined || w.code === filters.ward)
          .map((w) => ({ key: w.code, label: w.name })),
      )
      break
    case 'category':
      groups = await perFilter(
        'category',
        profile.categories
          .filter((c) => filters.category === undefined || c.code === filters.category)
          .map((c) => ({ key: c.code, label: c.name })),
      )
      break
    case 'unit': {
      // One statement for every unit (computeKpiGroups): each group is what ?unit=<code> reads.
      const names = new Map(profile.units.map((u) => [u.code, u.name]))
      const [sets] = await computeKpiGroups(sql, [window], filters, 'unit')
      const seen = [...sets!.keys()].filter((k): k is string => k !== null)
      const codes =
        filters.unit !== undefined ? [filters.unit] : [...new Set([...names.keys(), ...seen])].sort()
      groups = codes.map((code) => ({
        key: code,
        label: names.get(code) ?? code,
        kpis: sets!.get(code) ?? emptyKpiSet(sets!.catalog),
      }))
      break
    }
    case 'procedure':
    case 'field':
      groups = await byCatalog(deps, by, window, filters)
      break
    case 'day':
    case 'hour':
      groups = await byTime(deps, by, window, filters)
      break
  }
  return { by, groups }
}

async function byTime(
  deps: Pick<AppDeps, 'sql' | 'city'>,
  by: 'day' | 'hour',
  window: KpiWindow,
  filters: KpiFilters,
): Promise<Group[]> {
  const tz = deps.city.profile.timeZone
  const windows: Array<KpiWindow & { key: string }> = []
  let start = by === 'day' ? localDayStart(window.from, tz) : localHourStart(window.from, tz)
  while (start < window.to) {
    const next = by === 'day' ? addLocalDays(start, 1, tz) : new Date(start.getTime() + 3_600_000)
    if (windows.length >= maxGroups[by]) throw new TooManyGroups(`at most ${maxGroups[by]} ${by} groups`)
    windows.push({
      key: by === 'day' ? localDayKey(start, tz) : localHourKey(start, tz),
      from: new Date(Math.max(start.getTime(), window.from.getTime())),
      to: new Date(Math.min(next.getTime(), window.to.getTime())),
    })
    start = next
  }
  const sets = await computeKpis(deps.sql, windows, filters)
  return windows.map((w, i) => ({ key: w.key, label: w.key, kpis: sets[i]! }))
}

async function byCatalog(
  deps: Pick<AppDeps, 'sql'>,
  by: 'procedure' | 'field',
  window: KpiWindow,
  filters: KpiFilters,
): Promise<Group[]> {
  const [[whole], dossiers, catalog] = await Promise.all([
    computeKpis(deps.sql, [window], filters, {
      total: 0,
      fullOnline: 0,
      partialOnline: 0,
      nationalPortal: 0,
    }),
    dossierSumsByProcedure(deps.sql, by, window, filters),
    catalogByProcedure(deps.sql),
  ])
  const groups = new Map<string, { label: string; counts: CatalogCounts }>()
  for (const p of catalog) {
    const key = by === 'procedure' ? p.code : p.field
    const g = groups.get(key) ?? { label: by === 'procedure' ? p.name : p.field, counts: zeroCounts() }
    for (const k of ['total', 'fullOnline', 'partialOnline', 'nationalPortal'] as const)
      g.counts[k] += Number(p[k])
    groups.set(key, g)
  }
  const sums = new Map(dossiers.map((d) => [d.code, d]))
  for (const d of dossiers) {
    if (d.code !== null && !groups.has(d.code)) groups.set(d.code, { label: d.code, counts: zeroCounts() })
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, g]) => {
      const d = sums.get(key) ?? { window: zeroDossiers, before: zeroDossiers }
      const set = kpiSet(
        { window: zeroTickets, before: zeroTickets, median: null },
        d,
        g.counts,
        zeroSurveys,
        {
          window: zeroTasks,
          before: zeroTasks,
        },
      )
      // Tickets, answers and tasks are not split by procedure: each group shows the whole query's.
      return {
        key,
        label: g.label,
        kpis: { ...set, tickets: whole!.tickets, satisfaction: whole!.satisfaction, tasks: whole!.tasks },
      }
    })
}

const zeroCounts = (): CatalogCounts => ({ total: 0, fullOnline: 0, partialOnline: 0, nationalPortal: 0 })
