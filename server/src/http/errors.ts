import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** The JSON error body of every API route: what went wrong, and which field when one did. */
export type ApiErrorBody = { error: { code: string; message: string; field?: string } }

export function apiError(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  field?: string,
) {
  const body: ApiErrorBody = { error: { code, message, ...(field ? { field } : {}) } }
  return c.json(body, status)
}
