import { describe, expect, it } from 'vitest'
import { maskContacts, redactChange, redactDeep, redactItem } from './redact'

describe('maskContacts', () => {
  it.each([
    ['Gọi 0912345678 giúp', 'Gọi 09•••••••• giúp'],
    ['SĐT: 0912 345 678.', 'SĐT: 09•• ••• •••.'],
    ['0912.345.678', '09••.•••.•••'],
    ['0912-345-678', '09••-•••-•••'],
    ['liên hệ +84 912 345 678', 'liên hệ +84 ••• ••• •••'],
    ['+84912345678', '+84•••••••••'],
    ['0084 912 345 678', '00•• ••• ••• •••'],
    ['(0252) 3822 123', '(02••) •••• •••'],
    ['nhà số 02523822123', 'nhà số 02•••••••••'],
  ])('masks the phone number in %j', (text, masked) => {
    expect(maskContacts(text)).toBe(masked)
  })

  it.each([
    'Ổ gà đường Trần Hưng Đạo số 12, dài 30 m',
    'Mã hồ sơ 000.00.12.H12-261128-0001',
    'Ngày 28/11/2026 lúc 08:00',
    'Biển số 86A-123.45',
    'Mã 123456789012345',
    '2026-11-28T08:00:00+07:00',
  ])('leaves %j alone', (text) => {
    expect(maskContacts(text)).toBe(text)
  })

  it('masks e-mail addresses, keeping their first letter', () => {
    expect(maskContacts('gửi an.nguyen@gmail.com nhé')).toBe('gửi a•••@••• nhé')
    expect(maskContacts('Trần.Thị@ubnd.phanthiet.gov.vn')).toBe('T•••@•••')
  })
})

describe('redaction of items', () => {
  const ticket = {
    source: 's',
    ref: 'r1',
    title: 'Đèn hỏng, gọi 0912345678',
    description: 'Email tôi: a@b.vn',
    address: '12 Trần Phú',
    reporter: { name: 'Nguyễn Văn A', phone: '0912345678' },
    wardCode: '22930',
  }

  it('removes the reporter and masks free text, leaving other fields and the input untouched', () => {
    const out = redactItem(ticket)
    expect(out).toEqual({
      source: 's',
      ref: 'r1',
      title: 'Đèn hỏng, gọi 09••••••••',
      description: 'Email tôi: a•••@•••',
      address: '12 Trần Phú',
      wardCode: '22930',
    })
    expect(ticket.reporter.name).toBe('Nguyễn Văn A')
  })

  it('returns the same object when there is nothing to redact', () => {
    const clean = { source: 's', ref: 'r2', title: 'Rác tồn đọng' }
    expect(redactItem(clean)).toBe(clean)
    const change = { seq: 1, feed: 'tickets', id: 's:r2', item: clean }
    expect(redactChange(change)).toBe(change)
  })

  it('redacts every item of a frozen view', () => {
    const view = { tickets: { items: [ticket], nextCursor: null }, kpis: { tickets: { received: 1 } } }
    const out = redactDeep(view)
    expect(out.tickets.items[0]).not.toHaveProperty('reporter')
    expect(out.tickets.items[0]!.title).toBe('Đèn hỏng, gọi 09••••••••')
    expect(out.kpis).toEqual(view.kpis)
  })
})
