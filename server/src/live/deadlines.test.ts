import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DeadlineQueue } from './deadlines'

beforeEach(() => {
  vi.useFakeTimers()
  vi.setSystemTime(new Date('2026-11-28T08:00:00Z'))
})
afterEach(() => vi.useRealTimers())

describe('DeadlineQueue', () => {
  it('fires each key once at its deadline, in time order, following reschedules and cancels', () => {
    const fired: Array<[string, number]> = []
    const q = new DeadlineQueue<string>(Date.now, (key) => fired.push([key, Date.now()]))
    const t0 = Date.now()
    q.schedule('a', t0 + 3000, 'a')
    q.schedule('b', t0 + 1000, 'b')
    q.schedule('c', t0 + 2000, 'c')
    q.schedule('b', t0 + 5000, 'b') // deadline moved ahead
    q.cancel('c') // item closed
    q.schedule('d', t0 - 10, 'd') // already past: fires on the next tick
    vi.advanceTimersByTime(999)
    expect(fired).toEqual([['d', t0]])
    vi.advanceTimersByTime(10_000)
    expect(fired).toEqual([
      ['d', t0],
      ['a', t0 + 3000],
      ['b', t0 + 5000],
    ])
    expect(q.size).toBe(0)
  })

  it('keeps one timer armed for the earliest deadline', () => {
    const q = new DeadlineQueue<number>(Date.now, () => {})
    for (let i = 0; i < 500; i++) q.schedule(`k${i}`, Date.now() + 60_000 - i, i)
    expect(vi.getTimerCount()).toBe(1)
    vi.advanceTimersByTime(60_000)
    expect(q.size).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
  })
})
