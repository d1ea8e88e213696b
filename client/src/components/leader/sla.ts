/** SLA state of an item (DESIGN §8 triple), from its deadline and whether it is finished. */
export type SlaState = 'ontime' | 'soon' | 'overdue' | 'done' | 'doneLate'

export function slaState(
  item: {
    dueAt?: string | null
    resolvedAt?: string | null
    closedAt?: string | null
    finishedAt?: string | null
    status?: string
  },
  now: number,
): SlaState {
  const finished = item.resolvedAt ?? item.finishedAt ?? item.closedAt ?? null
  const due = item.dueAt ? Date.parse(item.dueAt) : null
  if (finished || item.status === 'rejected' || item.status === 'withdrawn') {
    return due !== null && finished && Date.parse(finished) > due ? 'doneLate' : 'done'
  }
  if (due === null) return 'ontime'
  if (due < now) return 'overdue'
  return due - now < 3_600_000 ? 'soon' : 'ontime'
}

/** A shape per state so it never reads by colour alone. */
export const slaMark: Record<SlaState, string> = {
  ontime: '●',
  soon: '◆',
  overdue: '▲',
  done: '✓',
  doneLate: '✓',
}
