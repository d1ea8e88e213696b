/** How long a screen waits for an answer before it gives up and asks again later. */
export const fetchDeadlineMs = 20_000

/**
 * `fetch`, given up after `ms`: a request whose answer never comes (a connection left half
 * open by a network fault or a server that went away) would otherwise stay pending forever, and
 * a panel that refreshes only once its last request has settled would never refresh again.
 */
export async function fetchWithin(
  url: string,
  init: RequestInit = {},
  ms = fetchDeadlineMs,
): Promise<Response> {
  const abort = new AbortController()
  const timer = setTimeout(() => abort.abort(new Error(`no answer within ${ms / 1000} s`)), ms)
  try {
    return await fetch(url, { ...init, signal: abort.signal })
  } finally {
    clearTimeout(timer)
  }
}
