import type { Context } from 'hono'
import { apiError } from './errors'

/** Why a read refused its query or its caller, as its route answers it. */
export type Refusal = { ok: false; status: 400 | 403; code: string; message: string; field?: string }

/**
 * What a read gives: its body, or a refusal. A route sends it as it is; a view composed of
 * several reads (the leader view) takes the bodies and leaves a refused part empty, so both
 * apply one validation and one access rule.
 */
export type Answer<T> = { ok: true; body: T } | Refusal

export const refuse = (status: 400 | 403, code: string, message: string, field?: string): Refusal => ({
  ok: false,
  status,
  code,
  message,
  ...(field ? { field } : {}),
})

/** The refusal as the API's error answer. */
export function refusal(c: Context, answer: Refusal) {
  return apiError(c, answer.status, answer.code, answer.message, answer.field)
}
