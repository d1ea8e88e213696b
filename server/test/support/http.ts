/** JSON over real HTTP for tests; `body` is `any` on purpose: the assertions check its shape. */
// biome-ignore lint/suspicious/noExplicitAny: test assertions inspect arbitrary JSON
export type JsonResponse = { status: number; headers: Headers; body: any }

export async function requestJson(
  url: string,
  init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<JsonResponse> {
  const headers: Record<string, string> = { ...init.headers }
  if (init.token) headers.authorization = `Bearer ${init.token}`
  let body: string | undefined
  if (init.body !== undefined) {
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body)
    headers['content-type'] ??= 'application/json'
  }
  const res = await fetch(url, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body })
  const text = await res.text()
  let parsed: unknown = text
  try {
    parsed = text ? JSON.parse(text) : null
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed }
}

export const getJson = (url: string, token?: string) => requestJson(url, { token })
