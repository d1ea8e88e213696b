import { describe, expect, it } from 'vitest'
import { toQuery } from './leader-query'
import { filterWindows, localDayOf, localDayStart, presetDays } from './snapshot'

describe('leader filter windows', () => {
  it('turns city-local days into a [from, to) window and the equally long one before', () => {
    const later = new Date('2026-12-05T00:00:00Z')
    const w = filterWindows({ from: '2026-11-22', to: '2026-11-28' }, 'Asia/Ho_Chi_Minh', later)
    expect(w.days).toBe(7)
    expect(w.window).toEqual({ from: '2026-11-21T17:00:00.000Z', to: '2026-11-28T17:00:00.000Z' })
    expect(w.previousWindow).toEqual({ from: '2026-11-14T17:00:00.000Z', to: '2026-11-21T17:00:00.000Z' })
  })

  it('ends a window that reaches into the future at now, and compares with the same span before', () => {
    const now = new Date('2026-11-28T03:00:00Z') // 10:00 on the 28th in Phan Thiết
    const w = filterWindows({ from: '2026-11-22', to: '2026-11-28' }, 'Asia/Ho_Chi_Minh', now)
    expect(w.window).toEqual({ from: '2026-11-21T17:00:00.000Z', to: '2026-11-28T03:00:00.000Z' })
    expect(w.previousWindow).toEqual({ from: '2026-11-14T17:00:00.000Z', to: '2026-11-21T03:00:00.000Z' })
  })

  it('finds local midnight across a DST change', () => {
    // Europe/Berlin moved to summer time on 2026-03-29 at 02:00.
    expect(localDayStart('2026-03-29', 'Europe/Berlin').toISOString()).toBe('2026-03-28T23:00:00.000Z')
    expect(localDayStart('2026-03-30', 'Europe/Berlin').toISOString()).toBe('2026-03-29T22:00:00.000Z')
    expect(localDayOf(new Date('2026-11-27T17:00:00Z'), 'Asia/Ho_Chi_Minh')).toBe('2026-11-28')
  })

  it('resolves presets on a given day (quarters start in Jan, Apr, Jul, Oct)', () => {
    expect(presetDays('today', '2026-11-28')).toEqual({ from: '2026-11-28', to: '2026-11-28' })
    expect(presetDays('7d', '2026-11-28')).toEqual({ from: '2026-11-22', to: '2026-11-28' })
    expect(presetDays('month', '2026-11-28')).toEqual({ from: '2026-11-01', to: '2026-11-28' })
    expect(presetDays('quarter', '2026-11-28')).toEqual({ from: '2026-10-01', to: '2026-11-28' })
    expect(presetDays('year', '2026-11-28')).toEqual({ from: '2026-01-01', to: '2026-11-28' })
    expect(presetDays('custom', '2026-11-28')).toBeNull()
  })

  it('builds a query string of the set parameters only', () => {
    expect(toQuery({ ward: '22930', unit: undefined, q: 'đèn đường' })).toBe(
      '?ward=22930&q=%C4%91%C3%A8n%20%C4%91%C6%B0%E1%BB%9Dng',
    )
    expect(toQuery({})).toBe('')
  })
})
