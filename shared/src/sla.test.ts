import { describe, expect, it } from 'vitest'
import { bySlaUrgency, countdown, finishedAt, openSlaState, slaState } from './sla'

const now = Date.parse('2026-11-28T03:00:00Z')

describe('SLA state', () => {
  it('of an open item: on time, due within the hour (inclusive), or overdue once passed', () => {
    expect(openSlaState('2026-11-28T05:00:00Z', now)).toBe('ontime')
    expect(openSlaState('2026-11-28T04:00:01Z', now)).toBe('ontime')
    expect(openSlaState('2026-11-28T04:00:00Z', now)).toBe('soon')
    expect(openSlaState('2026-11-28T03:00:00Z', now)).toBe('soon')
    expect(openSlaState('2026-11-28T02:59:59Z', now)).toBe('overdue')
  })

  it('of a finished item: done, or done late by its earliest finishing time', () => {
    const due = '2026-11-28T02:00:00Z'
    expect(slaState({ dueAt: due, resolvedAt: '2026-11-28T01:00:00Z' }, now)).toBe('done')
    expect(slaState({ dueAt: due, finishedAt: '2026-11-28T02:30:00Z' }, now)).toBe('doneLate')
    expect(slaState({ dueAt: due, doneAt: '2026-11-28T02:00:00Z' }, now)).toBe('done')
    // closed before resolved: the ticket closed at the earliest time (docs/design.md §3)
    const both = { dueAt: due, resolvedAt: '2026-11-28T02:30:00Z', closedAt: '2026-11-28T01:30:00Z' }
    expect(finishedAt(both)).toBe('2026-11-28T01:30:00Z')
    expect(slaState(both, now)).toBe('done')
    expect(slaState({ dueAt: due, status: 'rejected' }, now)).toBe('done')
    expect(slaState({ dueAt: due, status: 'cancelled' }, now)).toBe('done')
    expect(slaState({ dueAt: due, status: 'in_progress' }, now)).toBe('overdue')
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
