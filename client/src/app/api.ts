import type { z } from 'zod'
import { fetchWithin } from './fetchWithin'

/** Why a call failed, as a person can act on it: the HTTP status (0: no answer), the field, the message. */
export type ApiFailure = { status: number; message: string; field?: string }
export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; error: ApiFailure }

/** Reads the API's error body `{ error: { message, field } }`, or says what the answer was. */
async function failureOf(res: Response): Promise<ApiFailure> {
  const body = (await res.json().catch(() => null)) as { error?: { message?: string; field?: string } } | null
  return {
    status: res.status,
    message: body?.error?.message ?? res.statusText ?? `HTTP ${res.status}`,
    ...(body?.error?.field ? { field: body.error.field } : {}),
  }
}

/** A JSON call to the API with the session cookie; never throws. */
export async function callApi<T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<ApiResult<T>> {
  try {
    const res = await fetchWithin(url, {
      method,
      credentials: 'same-origin',
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    })
    if (!res.ok) return { ok: false, error: await failureOf(res) }
    return { ok: true, status: res.status, data: (await res.json()) as T }
  } catch (error) {
    return {
      ok: false,
      error: { status: 0, message: error instanceof Error ? error.message : String(error) },
    }
  }
}

/**
 * GETs (or, with `init`, any method) a JSON answer and parses it with its shared zod schema:
 * the caller gets the contract's own type, never a cast. Throws an error naming the URL when the
 * answer is not 2xx or does not match the schema. The caller passes the schema, so this module
 * (imported by the wall) loads no schema and no zod of its own.
 */
export async function getJson<S extends z.ZodType>(
  url: string,
  schema: S,
  init?: RequestInit,
): Promise<z.output<S>> {
  const res = await fetchWithin(url, { credentials: 'same-origin', ...init })
  if (!res.ok) throw new Error(`${url}: ${(await failureOf(res)).message} (HTTP ${res.status})`)
  const parsed = schema.safeParse(await res.json())
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`${url}: unexpected answer (${issue?.path.join('.') || 'body'}: ${issue?.message})`)
  }
  return parsed.data
}

/** `/api/v1/tasks/citydeck/CD-1` from a `source:ref` id (a source has no colon; a ref may). */
export function itemPath(prefix: string, id: string): string {
  const at = id.indexOf(':')
  return `${prefix}/${encodeURIComponent(id.slice(0, at))}/${encodeURIComponent(id.slice(at + 1))}`
}
