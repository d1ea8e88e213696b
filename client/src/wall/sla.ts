/** SLA state of an open ticket (DESIGN §8): on time, due within one hour, overdue. */
export type SlaState = 'ontime' | 'soon' | 'overdue'

const soonMs = 3600_000

export function slaState(dueAt: string, now: number): SlaState {
  const left = Date.parse(dueAt) - now
  if (left < 0) return 'overdue'
  if (left <= soonMs) return 'soon'
  return 'ontime'
}

/** `-1:05:09` style countdown: hours can pass 24 (a week-old overdue ticket reads -170:00:00). */
export function countdown(dueAt: string, now: number): string {
  const left = Math.round((Date.parse(dueAt) - now) / 1000)
  const abs = Math.abs(left)
  const h = Math.floor(abs / 3600)
  const m = Math.floor((abs % 3600) / 60)
  const s = abs % 60
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${left < 0 ? '−' : ''}${h}:${pad(m)}:${pad(s)}`
}

type Due = { dueAt: string }
/** Overdue first (most overdue on top), then the soonest deadlines. */
export function bySlaUrgency<T extends Due>(a: T, b: T): number {
  return Date.parse(a.dueAt) - Date.parse(b.dueAt)
}
