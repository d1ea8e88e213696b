import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fetchDeadlineMs } from '../app/fetchWithin'
import { useWallKpiStore } from './wallKpis'

/** A server that never answers the first request (a half-open connection), then answers. */
function stallingOnce() {
  let calls = 0
  return vi.fn((_url: string, init?: RequestInit) => {
    calls++
    if (calls > 1) return Promise.resolve(new Response(JSON.stringify({ tickets: { open: 4 } })))
    // Like a real fetch: pending until its signal aborts.
    return new Promise<Response>((_, reject) => {
      init?.signal?.addEventListener('abort', () => reject(init.signal!.reason))
    })
  })
}

describe('wall KPI results', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  it('give up on a request that is never answered, so the next refresh can run', async () => {
    const fetch = stallingOnce()
    vi.stubGlobal('fetch', fetch)
    const store = useWallKpiStore()
    const first = store.ensure('k', () => '/api/v1/kpis')
    // Until the deadline a refresh joins the pending request instead of sending another.
    await vi.advanceTimersByTimeAsync(fetchDeadlineMs - 1000)
    void store.ensure('k', () => '/api/v1/kpis', 0)
    expect(fetch).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1000)
    await first
    expect(store.error('k')).toMatch(/no answer within 20 s/)
    await store.ensure('k', () => '/api/v1/kpis', 0)
    expect(fetch).toHaveBeenCalledTimes(2)
    expect(store.summary('k')).toEqual({ tickets: { open: 4 } })
    expect(store.error('k')).toBeNull()
  })
})
