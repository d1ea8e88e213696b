import { type LeaderFilters, type LeaderView, type LeaderViewData, loadLeaderView } from '@citydeck/shared'
import { onScopeDispose, type Ref, shallowRef, watch } from 'vue'
import { subscribeOnConnect } from '../../composables/subscribeOnConnect'
import { useLive } from '../../composables/useLive'

export type UseLeaderViewOptions = {
  view: LeaderView
  filters: Ref<LeaderFilters>
  timeZone: () => string
  /** Coalesces live changes into at most one reload per this many ms. */
  refreshMs?: number
}

/**
 * The live data of a leader screen: loaded with the same loader a snapshot freezes, reloaded
 * when the filters change and, coalesced, when the live stream reports changes.
 */
export function useLeaderView(options: UseLeaderViewOptions) {
  const data = shallowRef<LeaderViewData | null>(null)
  const error = shallowRef<string | null>(null)
  const loading = shallowRef(false)
  let generation = 0

  async function load() {
    const mine = ++generation
    loading.value = true
    try {
      const result = await loadLeaderView(
        (path) => fetch(path, { credentials: 'same-origin' }),
        options.view,
        options.filters.value,
        options.timeZone(),
      )
      if (mine !== generation) return // a newer load superseded this one
      if (!result.kpis) throw new Error('KPI API')
      data.value = result
      error.value = null
    } catch (e) {
      if (mine === generation) error.value = (e as Error).message
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  watch(() => JSON.stringify(options.filters.value), load, { immediate: true })

  const live = useLive({})
  let timer: ReturnType<typeof setTimeout> | null = null
  const schedule = () => {
    timer ??= setTimeout(() => {
      timer = null
      void load()
    }, options.refreshMs ?? 3000)
  }
  // The whole city's stream: any filter may be affected by a change anywhere (a ward switch needs no resubscribe).
  subscribeOnConnect(live.socket, () => ({ scope: {} }))
  live.socket.on('changes', schedule)
  live.socket.on('kpis', schedule)
  onScopeDispose(() => {
    if (timer) clearTimeout(timer)
  })

  return { data, error, loading, reload: load, connection: live.state, lastMessageAt: live.lastMessageAt }
}
