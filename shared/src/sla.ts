/**
 * The one SLA rule (docs/design.md §8): an open item is on time, due within one hour, or overdue; a
 * finished one was done on time or late. Screens, lists and alerts all ask this module.
 */
export type OpenSlaState = 'ontime' | 'soon' | 'overdue'
export type SlaState = OpenSlaState | 'done' | 'doneLate'

/** "Due within 1 h": a deadline at most this far ahead is `soon` (inclusive). */
export const dueSoonMs = 3_600_000

/** State of an open item: overdue once `now` has passed `dueAt` (as the KPIs' `dueAt < to`). */
export function openSlaState(dueAt: string, now: number): OpenSlaState {
  const left = Date.parse(dueAt) - now
  if (left < 0) return 'overdue'
  if (left <= dueSoonMs) return 'soon'
  return 'ontime'
}

/** The fields of a ticket, dossier or task that decide whether it is finished, and when. */
export type SlaItem = {
  dueAt?: string | null
  resolvedAt?: string | null
  closedAt?: string | null
  finishedAt?: string | null
  doneAt?: string | null
  status?: string
}

/** Statuses that end an item without a finishing time of its own. */
const endingStatuses = new Set(['rejected', 'withdrawn', 'cancelled'])

/** When the item was finished (the earliest finishing time), or null while it is open. */
export function finishedAt(item: SlaItem): string | null {
  const times = [item.resolvedAt, item.closedAt, item.finishedAt, item.doneAt].filter((t): t is string => !!t)
  if (times.length === 0) return null
  return times.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b))
}

/** Whether the item is finished: it has a finishing time, or a status that ends it (rejected…). */
export function isFinished(item: SlaItem): boolean {
  return finishedAt(item) !== null || (item.status !== undefined && endingStatuses.has(item.status))
}

/** SLA state of any item: open ones by their deadline, finished ones by whether they met it. */
export function slaState(item: SlaItem, now: number): SlaState {
  const finished = finishedAt(item)
  if (isFinished(item)) {
    return item.dueAt && finished && Date.parse(finished) > Date.parse(item.dueAt) ? 'doneLate' : 'done'
  }
  return item.dueAt ? openSlaState(item.dueAt, now) : 'ontime'
}

/** A shape per state, so a state never reads by colour alone (docs/design.md §8). */
export const slaMark: Record<SlaState, string> = {
  ontime: '●',
  soon: '◆',
  overdue: '▲',
  done: '✓',
  doneLate: '✓',
}

/** `-1:05:09` style countdown: hours can pass 24 (a week-old overdue ticket reads −170:00:00). */
export function countdown(dueAt: string, now: number): string {
  const left = Math.round((Date.parse(dueAt) - now) / 1000)
  const abs = Math.abs(left)
  const h = Math.floor(abs / 3600)
  const m = Math.floor((abs % 3600) / 60)
  const s = abs % 60
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${left < 0 ? '−' : ''}${h}:${pad(m)}:${pad(s)}`
}

/** Most urgent first: the most overdue on top, then the soonest deadlines. */
export function bySlaUrgency<T extends { dueAt: string }>(a: T, b: T): number {
  return Date.parse(a.dueAt) - Date.parse(b.dueAt)
}
