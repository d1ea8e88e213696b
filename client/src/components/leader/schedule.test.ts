import { describe, expect, it } from 'vitest'
import { describeSchedule } from './schedule'

describe('describeSchedule', () => {
  it('reads the daily and weekday patterns in both languages', () => {
    expect(describeSchedule('0 7 * * *', false)).toBe('Hằng ngày lúc 07:00')
    expect(describeSchedule('0 7 * * *', true)).toBe('Daily at 07:00')
    expect(describeSchedule('30 6 * * 1-5', false)).toBe('Thứ Hai đến Thứ Sáu lúc 06:30')
    expect(describeSchedule('5 7,17 * * *', true)).toBe('Daily at 07:05 and 17:05')
  })
  it('gives null for a pattern it cannot say in words', () => {
    expect(describeSchedule('*/15 * * * *', false)).toBeNull()
    expect(describeSchedule('0 7 1 * *', true)).toBeNull()
    expect(describeSchedule('0 25 * * *', true)).toBeNull()
    expect(describeSchedule('nonsense', true)).toBeNull()
  })
})
