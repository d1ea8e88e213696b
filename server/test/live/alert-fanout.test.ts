import type { Alert } from '@citydeck/shared'
import { describe, expect, it } from 'vitest'
import { startAlertFanout } from '../../src/live/alert-fanout'
import { manualTimers } from '../support/manual-timers'

const alert = (n: number, ward: string | null, kind: Alert['kind'] = 'ticket_overdue'): Alert => ({
  kind,
  id: `s:${n}`,
  at: '2026-03-01T03:00:00.000Z',
  dueAt: '2026-03-01T02:00:00.000Z',
  wardCode: ward,
  title: `Phản ánh ${n}`,
  ...(kind === 'resolved' ? { resolves: 'ticket_overdue' as const } : {}),
})

function fanout(perRoom: number, perFlush?: number) {
  const timers = manualTimers()
  const sent: Array<{ id: string; kind: string; rooms: string[] }> = []
  const f = startAlertFanout({
    ...timers,
    perRoom,
    ...(perFlush ? { perFlush } : {}),
    intervalMs: 1000,
    roomsOf: (a) => (a.wardCode ? ['city', `ward:${a.wardCode}`] : ['city']),
    send: (a, rooms) => sent.push({ id: a.id, kind: a.kind, rooms }),
  })
  return { f, timers, sent }
}

describe('alert fan-out', () => {
  it('sends a lone alert on the next turn, to its city and ward rooms', () => {
    const { f, timers, sent } = fanout(3)
    f.push(alert(1, 'w1'))
    expect(sent).toEqual([])
    expect(timers.delays).toEqual([0])
    timers.runNext()
    expect(sent).toEqual([{ id: 's:1', kind: 'ticket_overdue', rooms: ['city', 'ward:w1'] }])
  })

  it('gives each room only its newest alerts of a burst, in the order they came', () => {
    const { f, timers, sent } = fanout(2)
    // Ward w1: 1, 2, 3; ward w2: 4; no ward: 5. The city's newest two are 4 and 5.
    for (const [n, ward] of [
      [1, 'w1'],
      [2, 'w1'],
      [3, 'w1'],
      [4, 'w2'],
      [5, null],
    ] as const)
      f.push(alert(n, ward))
    timers.runNext()
    expect(sent.map((s) => [s.id, s.rooms])).toEqual([
      ['s:2', ['ward:w1']],
      ['s:3', ['ward:w1']],
      ['s:4', ['city', 'ward:w2']],
      ['s:5', ['city']],
    ])
  })

  it('sends no more than its share per flush: the city first, then wards, resolutions aside', () => {
    const { f, timers, sent } = fanout(2, 3)
    // Newest first: 6 and 5 fill the city; 4 goes to its ward only; 3 is past the flush's share.
    for (const [n, ward] of [
      [1, 'w2'],
      [2, 'w2'],
      [3, 'w1'],
      [4, 'w1'],
      [5, 'w3'],
      [6, 'w3'],
    ] as const)
      f.push(alert(n, ward))
    f.push(alert(7, 'w1', 'resolved'))
    timers.runNext()
    expect(sent.map((s) => [s.id, s.rooms])).toEqual([
      ['s:4', ['ward:w1']],
      ['s:5', ['city', 'ward:w3']],
      ['s:6', ['city', 'ward:w3']],
      ['s:7', ['city', 'ward:w1']],
    ])
  })

  it('never leaves out a resolution', () => {
    const { f, timers, sent } = fanout(1)
    f.push(alert(1, 'w1', 'resolved'))
    f.push(alert(2, 'w1'))
    f.push(alert(3, 'w1'))
    timers.runNext()
    expect(sent.map((s) => [s.id, s.kind, s.rooms])).toEqual([
      ['s:1', 'resolved', ['city', 'ward:w1']],
      ['s:3', 'ticket_overdue', ['city', 'ward:w1']],
    ])
  })

  it('while alerts keep coming, flushes at most once per interval', () => {
    const { f, timers, sent } = fanout(10)
    f.push(alert(1, null))
    timers.runNext()
    timers.clock.ms = 300
    f.push(alert(2, null))
    f.push(alert(3, null))
    // The next flush waits for the rest of the interval, and takes both.
    expect(timers.delays).toEqual([0, 700])
    timers.runNext()
    expect(sent.map((s) => s.id)).toEqual(['s:1', 's:2', 's:3'])
  })

  it('sends what is pending when stopped', () => {
    const { f, timers, sent } = fanout(10)
    f.push(alert(1, null))
    f.stop()
    expect(sent.map((s) => s.id)).toEqual(['s:1'])
    expect(timers.pending).toEqual([])
  })
})
