import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import messages from '../../locales/leader'
import { failureText } from './failureText'

const { t } = createI18n({ legacy: false, locale: 'vi', messages }).global

describe('failureText', () => {
  it('names the field the server refused, in the page language', () => {
    expect(
      failureText(t, {
        status: 422,
        field: 'directive.dueAt',
        message: 'directive.dueAt: must be in the future',
      }),
    ).toBe('Hạn hoàn thành: must be in the future')
  })
  it('says what to do when there is no answer, no right, no database, or a newer version', () => {
    expect(failureText(t, { status: 0, message: 'Failed to fetch' })).toContain('Kiểm tra kết nối')
    expect(failureText(t, { status: 403, message: 'forbidden' })).toContain('tài khoản lãnh đạo')
    expect(failureText(t, { status: 503, message: 'database_unavailable' })).toContain('thử lại sau')
    expect(failureText(t, { status: 409, message: 'a newer version' })).toContain('tải lại')
  })
})
