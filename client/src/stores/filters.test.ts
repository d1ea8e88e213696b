import { createPinia } from 'pinia'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import { useFiltersStore } from './filters'

afterEach(() => vi.useRealTimers())

/** The store as a page sees it: in an app with a router on `path`. */
async function filtersAt(path: string) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/', component: { render: () => null } }],
  })
  const app = createApp({ render: () => null })
  app.use(createPinia()).use(router)
  await router.push(path)
  return app.runWithContext(() => useFiltersStore())
}

describe('leader filters', () => {
  it('read the window from the URL, relative to the city day', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-28T03:00:00Z') })
    const store = await filtersAt('/?preset=7d&ward=22930')
    expect(store.filters).toMatchObject({ preset: '7d', from: '2026-11-22', to: '2026-11-28', ward: '22930' })
  })

  it('move "today" on at the city midnight, without a reload', async () => {
    // 23:59 in Phan Thiết (UTC+7).
    vi.useFakeTimers({ now: new Date('2026-11-28T16:59:00Z') })
    const store = await filtersAt('/?preset=today')
    expect(store.filters).toMatchObject({ from: '2026-11-28', to: '2026-11-28' })
    vi.advanceTimersByTime(2 * 60_000)
    expect(store.filters).toMatchObject({ from: '2026-11-29', to: '2026-11-29' })
  })
})
