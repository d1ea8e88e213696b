import { testFeedSource, testTokens } from '../support/test-server'

/** One HTTP request a fault case made, and how it was answered. */
export type Answer = {
  path: string
  /** performance.now() when it was sent and when its answer (or failure) came. */
  sentAt: number
  answeredAt: number
  /** HTTP status; 0 when it failed without one (reset, refused); -1 when it hung past the timeout. */
  status: number
  /** `error.code` of a JSON error body, when there is one. */
  code: string | null
  retryAfter: string | null
  /** Why it failed without a status. */
  failure?: string
}

export const ms = (a: Answer) => a.answeredAt - a.sentAt

/** A ticket of the test feed in wire shape; `size` pads its description (large items). */
export function faultTicket(ref: string, size = 0) {
  const now = new Date().toISOString()
  return {
    source: testFeedSource,
    ref,
    updatedAt: now,
    category: 'waste',
    title: `Rác tồn đọng ${ref}`,
    location: { lat: 10.932, lng: 108.1 },
    status: 'received',
    receivedAt: now,
    ...(size ? { description: 'x'.repeat(size) } : {}),
  }
}

/**
 * Sends one request and records its answer; a request with no answer within `hangMs` counts as
 * hung (status -1). Never throws: a fault case counts failures, it does not stop at the first.
 */
export async function send(
  url: string,
  path: string,
  init: { method?: string; token?: string; body?: unknown; hangMs?: number } = {},
): Promise<Answer> {
  const sentAt = performance.now()
  const headers: Record<string, string> = {}
  if (init.token) headers.authorization = `Bearer ${init.token}`
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  try {
    const res = await fetch(`${url}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(init.hangMs ?? 15_000),
    })
    const text = await res.text()
    let code: string | null = null
    try {
      code = (JSON.parse(text) as { error?: { code?: string } })?.error?.code ?? null
    } catch {
      // not JSON
    }
    return {
      path,
      sentAt,
      answeredAt: performance.now(),
      status: res.status,
      code,
      retryAfter: res.headers.get('retry-after'),
    }
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } }
    const hung = e.name === 'TimeoutError'
    return {
      path,
      sentAt,
      answeredAt: performance.now(),
      status: hung ? -1 : 0,
      code: null,
      retryAfter: null,
      failure: e.cause?.code ?? e.message,
    }
  }
}

/** POST /api/v1/feeds/tickets with the test feed's key. */
export const postTickets = (url: string, items: unknown[] | unknown, hangMs?: number) =>
  send(url, '/api/v1/feeds/tickets', { token: testTokens.feed, body: items, hangMs })

export const ok = (a: Answer) => a.status >= 200 && a.status < 300

/** Runs `tick` every `everyMs` without waiting for the previous one (a hang must not hide others). */
export function every(everyMs: number, tick: (n: number) => Promise<unknown>) {
  const pending = new Set<Promise<unknown>>()
  let n = 0
  const timer = setInterval(() => {
    const p = tick(n++).finally(() => pending.delete(p))
    pending.add(p)
  }, everyMs)
  return {
    /** Stops sending and resolves once every request sent was answered. */
    stop: async () => {
      clearInterval(timer)
      await Promise.all(pending)
    },
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Counts of each key. */
export function tally<T>(items: T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {}
  for (const t of items) out[key(t)] = (out[key(t)] ?? 0) + 1
  return out
}

export const round = (x: number) => Math.round(x * 10) / 10
