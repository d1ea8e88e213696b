import { describe, expect, it } from 'vitest'
import { reloadOnStaleBuild, type StaleBuildHost, staleBuildTiming } from './reloadOnStaleBuild'

/** A browser in miniature: events, a clock, timers run by hand, a server that is up or not. */
function fakeHost(serverUp: boolean[]) {
  const target = new EventTarget()
  const timers: Array<() => void> = []
  const stored = new Map<string, string>()
  let clock = 1_000_000
  const host: StaleBuildHost & { reloads: number; checks: number } = {
    target: target as unknown as StaleBuildHost['target'],
    serverAnswers: async () => {
      host.checks++
      return serverUp.shift() ?? true
    },
    reload: () => {
      host.reloads++
    },
    storage: { getItem: (k) => stored.get(k) ?? null, setItem: (k, v) => void stored.set(k, v) },
    now: () => clock,
    setTimer: (fn) => timers.push(fn),
    clearTimer: () => {},
    reloads: 0,
    checks: 0,
  }
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0))
  return {
    host,
    stored,
    fail: () => target.dispatchEvent(new Event('vite:preloadError')),
    /** Lets the clock pass and runs the timers that were due. */
    async tick(ms: number) {
      clock += ms
      for (const fn of timers.splice(0)) fn()
      await settle()
    },
    settle,
  }
}

describe('reload on a stale build', () => {
  it('reloads once when chunks fail to load and the server answers', async () => {
    const page = fakeHost([true])
    reloadOnStaleBuild(page.host)
    page.fail()
    page.fail()
    await page.settle()
    expect(page.host.reloads).toBe(1)
    expect(page.host.checks).toBe(1)
  })

  it('waits for a server that is down, checking every 15 s, then reloads', async () => {
    const page = fakeHost([false, false, true])
    reloadOnStaleBuild(page.host)
    page.fail()
    await page.settle()
    expect(page.host.reloads).toBe(0)
    await page.tick(staleBuildTiming.checkEveryMs)
    expect(page.host.reloads).toBe(0)
    await page.tick(staleBuildTiming.checkEveryMs)
    expect(page.host.reloads).toBe(1)
    expect(page.host.checks).toBe(3)
  })

  it('never reloads twice within a minute, so a broken build cannot loop', async () => {
    const page = fakeHost([])
    // The page before this one reloaded 10 s ago for the same reason.
    page.stored.set('citydeck:stale-build-reload', String(page.host.now() - 10_000))
    reloadOnStaleBuild(page.host)
    page.fail()
    await page.settle()
    expect(page.host.reloads).toBe(0)
    // Checks at 25, 40 and 55 s after that reload: too soon.
    for (let i = 0; i < 3; i++) await page.tick(staleBuildTiming.checkEveryMs)
    expect(page.host.reloads).toBe(0)
    await page.tick(staleBuildTiming.checkEveryMs)
    expect(page.host.reloads).toBe(1)
  })

  it('does nothing after it was removed', async () => {
    const page = fakeHost([true])
    reloadOnStaleBuild(page.host)()
    page.fail()
    await page.settle()
    expect(page.host.checks).toBe(0)
  })
})
