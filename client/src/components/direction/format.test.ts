import { describe, expect, it } from 'vitest'
import { dueLabel } from './format'

describe('dueLabel', () => {
  const now = Date.parse('2026-12-03T08:00:00Z') // 15:00 in Phan Thiết
  it('says only the time for a deadline today, in city time', () => {
    expect(dueLabel('2026-12-03T08:30:00Z', 'Asia/Ho_Chi_Minh', 'vi', now)).toBe('15:30')
  })
  it('adds day/month for another day, in either language', () => {
    expect(dueLabel('2026-12-03T17:30:00Z', 'Asia/Ho_Chi_Minh', 'vi', now)).toBe('04/12 00:30')
    expect(dueLabel('2026-12-03T17:30:00Z', 'Asia/Ho_Chi_Minh', 'en', now)).toBe('04/12 00:30')
  })
})
