import type { CityProfile, KpiSet } from '@citydeck/shared'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createApp, defineComponent, h, nextTick, ref } from 'vue'
import { createAppI18n } from '../../app/i18n'
import type { ConnectionState } from '../../composables/useLive'
import { useLiveStore } from '../../stores/live'
import { wallContextKey } from '../../wall/context'
import WallTilesPanel from './WallTilesPanel.vue'

const withOpen = (open: number) => ({ tickets: { open } }) as unknown as KpiSet
const profile = { timeZone: 'Asia/Ho_Chi_Minh' } as CityProfile
const tiles = [
  { metric: 'tickets.open', label: 'wall.kpi.ticketsOpen', format: 'integer', accent: 'tickets' },
] as never

/** Today's tiles mounted as on the wall, with the KPI API answering `apiOpen` open tickets. */
function mountTiles(apiOpen: { value: number }) {
  const fetch = vi.fn(async () => new Response(JSON.stringify(withOpen(apiOpen.value))))
  vi.stubGlobal('fetch', fetch)
  const pinia = createPinia()
  const host = document.createElement('div')
  const app = createApp(
    defineComponent({
      setup() {
        return () => h(WallTilesPanel, { tiles })
      },
    }),
  )
  app.provide(wallContextKey, { profile, ward: null, state: ref<ConnectionState>('connected') })
  app.use(pinia).use(createAppI18n()).mount(host)
  const shown = () => host.querySelector('.kpi-tile')?.getAttribute('data-value')
  return { fetch, live: useLiveStore(pinia), shown, unmount: () => app.unmount() }
}

/** Lets fetches resolve and Vue re-render. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await vi.advanceTimersByTimeAsync(0)
  await nextTick()
}

describe("the wall's today tiles", () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  it('show each live KPI frame without asking the API again, and the API every 30 s', async () => {
    const apiOpen = { value: 5 }
    const tiles = mountTiles(apiOpen)
    await settle()
    expect(tiles.fetch).toHaveBeenCalledTimes(1)
    expect(tiles.shown()).toBe('5')

    for (let open = 6; open <= 10; open++) {
      tiles.live.applyKpis({
        seq: open,
        scope: {},
        kpis: withOpen(open),
        open: { total: { open: 0, overdue: 0 }, byWard: {} },
      })
      await vi.advanceTimersByTimeAsync(700)
      await settle()
      expect(tiles.shown()).toBe(String(open))
    }
    expect(tiles.fetch).toHaveBeenCalledTimes(1)

    // Nothing changed, but a ticket fell due: the half-minute read brings it.
    apiOpen.value = 9
    await vi.advanceTimersByTimeAsync(30_000)
    await settle()
    expect(tiles.fetch).toHaveBeenCalledTimes(2)
    expect(tiles.shown()).toBe('9')

    // A frame after that answer wins again.
    tiles.live.applyKpis({
      seq: 11,
      scope: {},
      kpis: withOpen(12),
      open: { total: { open: 0, overdue: 0 }, byWard: {} },
    })
    await settle()
    expect(tiles.shown()).toBe('12')
    tiles.unmount()
  })
})
