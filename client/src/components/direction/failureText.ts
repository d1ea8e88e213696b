import type { ApiFailure } from '../../app/api'

type Translate = (key: string, values?: Record<string, unknown>) => string

/**
 * What a person can do about a refused call, in their language: the field and its problem
 * when the server named one, else what the status means (no answer, no right, database away,
 * gone, changed meanwhile).
 */
export function failureText(t: Translate, error: ApiFailure): string {
  const message = error.message.replace(/^(directive\.)?[\w.]+: /, '')
  if (error.status === 0) return t('direction.errors.network', { message: error.message })
  if (error.status === 401 || error.status === 403) return t('direction.errors.forbidden')
  if (error.status === 503) return t('direction.errors.unavailable')
  if (error.status === 404) return t('direction.errors.gone')
  if (error.status === 409) return t('direction.errors.conflict', { message })
  const field = error.field?.replace(/^directive\./, '')
  if (field) return t('direction.errors.field', { field: t(`direction.fields.${field}`), message })
  return t('direction.errors.other', { status: error.status, message: error.message })
}
