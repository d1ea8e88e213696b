import { describe, expect, it } from 'vitest'
import { bySlaUrgency, countdown, slaState } from './sla'

const now = Date.parse('2026-11-28T03:00:00Z')

describe('SLA state of an open ticket', () => {
  it('is on time, due within the hour, or overdue', () => {
    expect(slaState('2026-11-28T05:00:00Z', now)).toBe('ontime')
    expect(slaState('2026-11-28T03:59:59Z', now)).toBe('soon')
    expect(slaState('2026-11-28T02:59:59Z', now)).toBe('overdue')
  })

  it('counts down, and up past the deadline with a minus sign', () => {
    expect(countdown('2026-11-28T04:05:09Z', now)).toBe('1:05:09')
    expect(countdown('2026-11-27T02:00:00Z', now)).toBe('−25:00:00')
  })

  it('sorts the most overdue first', () => {
    const list = [
      { dueAt: '2026-11-28T05:00:00Z' },
      { dueAt: '2026-11-28T01:00:00Z' },
      { dueAt: '2026-11-28T03:30:00Z' },
    ]
    expect(list.sort(bySlaUrgency).map((t) => t.dueAt.slice(11, 13))).toEqual(['01', '03', '05'])
  })
})
