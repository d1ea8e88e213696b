import { describe, expect, it } from 'vitest'
import { startOfLocalDay, startOfLocalMonth, wallWindows } from './windows'

describe('wall windows in the city time zone', () => {
  it('starts "today" at local midnight (Asia/Ho_Chi_Minh is UTC+7)', () => {
    const at = new Date('2026-11-28T02:30:00Z') // 09:30 local
    expect(startOfLocalDay(at, 'Asia/Ho_Chi_Minh').toISOString()).toBe('2026-11-27T17:00:00.000Z')
    // 23:30 UTC is already the next local day.
    expect(startOfLocalDay(new Date('2026-11-28T23:30:00Z'), 'Asia/Ho_Chi_Minh').toISOString()).toBe(
      '2026-11-28T17:00:00.000Z',
    )
  })

  it('handles a zone with daylight saving time', () => {
    // 2026-03-29 is the EU change day; midnight local was still UTC+1.
    expect(startOfLocalDay(new Date('2026-03-29T12:00:00Z'), 'Europe/Paris').toISOString()).toBe(
      '2026-03-28T23:00:00.000Z',
    )
  })

  it('gives 30 days and 12 months ending now', () => {
    const now = new Date('2026-11-28T02:30:00Z')
    const w = wallWindows(now, 'Asia/Ho_Chi_Minh')
    expect(w.days30.from).toBe('2026-10-29T17:00:00.000Z')
    expect(w.months12.from).toBe(startOfLocalMonth(now, 'Asia/Ho_Chi_Minh', 11).toISOString())
    expect(w.months12.from).toBe('2025-11-30T17:00:00.000Z')
    expect(w.today.to).toBe(now.toISOString())
  })
})
