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

function fanout(perRoom: number) {
  const timers = manualTimers()
  // One entry per frame: its room and its alerts' ids (a resolution's marked).
  const frames: Array<[string, string[]]> = []
  const f = startAlertFanout({
    ...timers,
    perRoom,
    intervalMs: 1000,
    roomsOf: (a) => (a.wardCode ? ['city', `ward:${a.wardCode}`] : ['city']),
    send: (alerts, room) =>
      frames.push([room, alerts.map((a) => (a.kind === 'resolved' ? `${a.id} resolved` : a.id))]),
  })
  return { f, timers, frames }
}

describe('alert fan-out', () => {
  it('sends a lone alert on the next turn, one frame to each of its rooms', () => {
    const { f, timers, frames } = fanout(3)
    f.push(alert(1, 'w1'))
    expect(frames).toEqual([])
    expect(timers.delays).toEqual([0])
    timers.runNext()
    expect(frames).toEqual([
      ['city', ['s:1']],
      ['ward:w1', ['s:1']],
    ])
  })

  it('sends a burst as one frame per room, with only its newest alerts, in the order they came', () => {
    const { f, timers, frames } = fanout(2)
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
    expect(frames).toEqual([
      ['city', ['s:4', 's:5']],
      ['ward:w2', ['s:4']],
      ['ward:w1', ['s:2', 's:3']],
    ])
  })

  it('never leaves out a resolution, and keeps it in its place among the alerts', () => {
    const { f, timers, frames } = fanout(1)
    f.push(alert(1, 'w1', 'resolved'))
    f.push(alert(2, 'w1'))
    f.push(alert(3, 'w1'))
    f.push(alert(4, 'w1', 'resolved'))
    timers.runNext()
    expect(frames).toEqual([
      ['city', ['s:1 resolved', 's:3', 's:4 resolved']],
      ['ward:w1', ['s:1 resolved', 's:3', 's:4 resolved']],
    ])
  })

  it('a burst of any size is as many frames as rooms', () => {
    const { f, timers, frames } = fanout(200)
    for (let n = 0; n < 10_000; n++) f.push(alert(n, `w${n % 3}`))
    timers.runNext()
    expect(frames.map(([room, ids]) => [room, ids.length])).toEqual([
      ['city', 200],
      ['ward:w0', 200],
      ['ward:w2', 200],
      ['ward:w1', 200],
    ])
    // The newest, oldest first.
    expect(frames[0]![1].at(-1)).toBe('s:9999')
    expect(frames[0]![1][0]).toBe('s:9800')
  })

  it('while alerts keep coming, flushes at most once per interval', () => {
    const { f, timers, frames } = fanout(10)
    f.push(alert(1, null))
    timers.runNext()
    timers.clock.ms = 300
    f.push(alert(2, null))
    f.push(alert(3, null))
    // The next flush waits for the rest of the interval, and takes both in one frame.
    expect(timers.delays).toEqual([0, 700])
    timers.runNext()
    expect(frames).toEqual([
      ['city', ['s:1']],
      ['city', ['s:2', 's:3']],
    ])
  })

  it('sends what is pending when stopped', () => {
    const { f, timers, frames } = fanout(10)
    f.push(alert(1, null))
    f.stop()
    expect(frames).toEqual([['city', ['s:1']]])
    expect(timers.pending).toEqual([])
  })
})
