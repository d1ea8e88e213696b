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

/** `/api/v1/tasks/citydeck/CD-1` from a `source:ref` id (a source has no colon; a ref may). */
export function itemPath(prefix: string, id: string): string {
  const at = id.indexOf(':')
  return `${prefix}/${encodeURIComponent(id.slice(0, at))}/${encodeURIComponent(id.slice(at + 1))}`
}
