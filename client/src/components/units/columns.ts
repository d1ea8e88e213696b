import { belowMinSample, overdueWork, type UnitFigures } from '@citydeck/shared'

/** One figure of the units table: a count, or a rate with the sample it is over. */
export type UnitColumn = {
  key: string
  /** i18n key of the header. */
  label: string
  kind: 'count' | 'rate'
  /** Whether a rise is good news. */
  higherIsBetter: boolean
  value: (u: UnitFigures) => number | null
  /** For a rate: the number of items it is over (MIN_SAMPLE decides how it reads). */
  sample?: (u: UnitFigures) => number
}

export const unitColumns: UnitColumn[] = [
  { key: 'overdue', label: 'units.cols.overdue', kind: 'count', higherIsBetter: false, value: overdueWork },
  {
    key: 'tickets.received',
    label: 'units.cols.ticketsReceived',
    kind: 'count',
    higherIsBetter: true,
    value: (u) => u.tickets.received,
  },
  {
    key: 'tickets.onTimeRate',
    label: 'units.cols.ticketsOnTime',
    kind: 'rate',
    higherIsBetter: true,
    value: (u) => u.tickets.onTimeRate,
    sample: (u) => u.tickets.resolved,
  },
  {
    key: 'dossiers.overdueOpen',
    label: 'units.cols.dossiersOverdue',
    kind: 'count',
    higherIsBetter: false,
    value: (u) => u.dossiers.overdueOpen,
  },
  {
    key: 'dossiers.onTimeRate',
    label: 'units.cols.dossiersOnTime',
    kind: 'rate',
    higherIsBetter: true,
    value: (u) => u.dossiers.onTimeRate,
    sample: (u) => u.dossiers.finished,
  },
  {
    key: 'tasks.overdue',
    label: 'units.cols.tasksOverdue',
    kind: 'count',
    higherIsBetter: false,
    value: (u) => u.tasks.overdue,
  },
  {
    key: 'tasks.onTimeRate',
    label: 'units.cols.tasksOnTime',
    kind: 'rate',
    higherIsBetter: true,
    value: (u) => u.tasks.onTimeRate,
    sample: (u) => u.tasks.done,
  },
  {
    key: 'satisfaction.rate',
    label: 'units.cols.satisfaction',
    kind: 'rate',
    higherIsBetter: true,
    value: (u) => u.satisfaction.rate,
    sample: (u) => u.satisfaction.responses,
  },
]

/**
 * The value a column sorts by: a rate under the minimum sample sorts as no value (after every
 * trusted rate, whichever way), so a 2-item 100 % never tops the table.
 */
export function sortValue(col: UnitColumn, u: UnitFigures): number | null {
  const v = col.value(u)
  if (v === null) return null
  if (col.sample && belowMinSample(col.sample(u))) return null
  return v
}
