import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fetchDeadlineMs } from '../app/fetchWithin'
import { useDisplaySession } from './useDisplaySession'

const session = { role: 'display', label: 'Màn hình trung tâm', via: 'token' }
const answer = (status: number, body: unknown = {}) =>
  Promise.resolve(new Response(JSON.stringify(body), { status }))

describe('a screen starting its session', () => {
  beforeEach(() => {
    history.replaceState(null, '', '/wall?token=display-secret&scene=overview')
  })
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  it('exchanges the token for the cookie and takes it out of the address', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(() => answer(200, session)),
    )
    const screen = useDisplaySession()
    await screen.start()
    expect(screen.state.value).toBe('ready')
    expect(location.search).toBe('?scene=overview')
  })

  it('keeps the token for its retry while the server fails, instead of waiting for a person', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(() => answer(503, { error: 'starting' })),
    )
    const screen = useDisplaySession()
    await screen.start()
    expect(screen.state.value).toBe('unreachable')
    expect(location.search).toContain('token=display-secret')
  })

  it('asks for a token only when the server refused it and there is no valid cookie', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(() => answer(401, { error: 'unauthorized' })),
    )
    const screen = useDisplaySession()
    await screen.start()
    expect(screen.state.value).toBe('needs-token')
    expect(location.search).toBe('?scene=overview')
  })

  it('gives up on a request that is never answered, so the page can retry', async () => {
    vi.useFakeTimers()
    vi.stubGlobal(
      'fetch',
      vi.fn(
        (_url: string, init?: RequestInit) =>
          new Promise<Response>((_, reject) => {
            init?.signal?.addEventListener('abort', () => reject(init.signal!.reason))
          }),
      ),
    )
    const screen = useDisplaySession()
    const started = screen.start()
    await vi.advanceTimersByTimeAsync(fetchDeadlineMs)
    await started
    expect(screen.state.value).toBe('unreachable')
    expect(location.search).toContain('token=display-secret')
  })
})
