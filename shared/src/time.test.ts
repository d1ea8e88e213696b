import { describe, expect, it } from 'vitest'
import {
  addLocalDays,
  formatCityTime,
  fromLocalInput,
  isPartialBucket,
  localDayKey,
  localDayStart,
  localHourKey,
  localHourStart,
  localInputValue,
  todayWindow,
} from './time'

describe('city-time helpers', () => {
  it("calls the city's current day and month partial, in the city's time, and nothing else", () => {
    // 00:30 on 2 March in the city is still 1 March in UTC.
    const now = new Date('2026-03-01T17:30:00Z')
    const tz = 'Asia/Ho_Chi_Minh'
    expect(isPartialBucket('2026-03-02', now, tz)).toBe(true)
    expect(isPartialBucket('2026-03-01', now, tz)).toBe(false)
    expect(isPartialBucket('2026-03', now, tz)).toBe(true)
    expect(isPartialBucket('2026-02', now, tz)).toBe(false)
    expect(isPartialBucket('2026', now, tz)).toBe(false)
    expect(isPartialBucket('2026-03-02', now.getTime(), 'UTC')).toBe(false)
  })

  it('puts 23:30 on the 1st in Ho Chi Minh City on the 1st, though it is the 1st 16:30 UTC', () => {
    const t = new Date('2026-03-01T23:30:00+07:00')
    expect(localDayKey(t, 'Asia/Ho_Chi_Minh')).toBe('2026-03-01')
    expect(localHourKey(t, 'Asia/Ho_Chi_Minh')).toBe('2026-03-01T23')
    expect(localDayStart(t, 'Asia/Ho_Chi_Minh').toISOString()).toBe('2026-02-28T17:00:00.000Z')
    // Today so far: from local midnight to now.
    expect(todayWindow(t, 'Asia/Ho_Chi_Minh')).toEqual({ from: new Date('2026-02-28T17:00:00.000Z'), to: t })
  })

  it('handles half-hour offsets and daylight-saving days', () => {
    expect(localHourStart(new Date('2026-03-01T10:45:00Z'), 'Asia/Kolkata').toISOString()).toBe(
      '2026-03-01T10:30:00.000Z',
    )
    // New York springs forward on 8 March 2026: that local day has 23 hours.
    const day = localDayStart(new Date('2026-03-08T12:00:00Z'), 'America/New_York')
    expect(day.toISOString()).toBe('2026-03-08T05:00:00.000Z')
    expect(addLocalDays(day, 1, 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z')
  })

  it('reads and writes a datetime-local value on the city clock, whatever the browser zone', () => {
    const t = new Date('2026-12-03T08:30:00Z')
    expect(localInputValue(t, 'Asia/Ho_Chi_Minh')).toBe('2026-12-03T15:30')
    expect(fromLocalInput('2026-12-03T15:30', 'Asia/Ho_Chi_Minh')?.toISOString()).toBe(t.toISOString())
    expect(fromLocalInput('2026-03-01T16:15', 'Asia/Kolkata')?.toISOString()).toBe('2026-03-01T10:45:00.000Z')
    expect(fromLocalInput('15:30', 'Asia/Ho_Chi_Minh')).toBeNull()
    expect(fromLocalInput('', 'Asia/Ho_Chi_Minh')).toBeNull()
  })
})

describe('formatCityTime', () => {
  const at = '2026-11-28T08:30:05Z'
  it('reads in the city zone, day before month, 24-hour, in either language', () => {
    expect(formatCityTime(at, 'Asia/Ho_Chi_Minh', 'vi')).toBe('15:30 28/11/2026')
    expect(formatCityTime(at, 'Asia/Ho_Chi_Minh', 'en')).toBe('28/11/2026, 15:30')
    expect(formatCityTime(at, 'Asia/Ho_Chi_Minh', 'vi', 'time')).toBe('15:30')
    expect(formatCityTime(at, 'Asia/Ho_Chi_Minh', 'en', 'timeSeconds')).toBe('15:30:05')
    expect(formatCityTime(at, 'Asia/Ho_Chi_Minh', 'vi', 'date')).toBe('28/11/2026')
  })
  it('follows the zone it is given, not the machine', () => {
    expect(formatCityTime('2026-11-28T23:30:00Z', 'Asia/Ho_Chi_Minh', 'vi', 'date')).toBe('29/11/2026')
    expect(formatCityTime('2026-11-28T23:30:00Z', 'UTC', 'vi', 'date')).toBe('28/11/2026')
  })
})
