import {
  type Alert,
  type LeaderFilters,
  type LeaderView,
  type LeaderViewData,
  leaderViewDataSchema,
  toQuery,
} from '@citydeck/shared'
import { computed, onScopeDispose, type Ref, shallowRef, watch } from 'vue'
import { getJson } from '../../app/api'
import { subscribeOnConnect } from '../../composables/subscribeOnConnect'
import { useLive } from '../../composables/useLive'

export type UseLeaderViewOptions = {
  /** The screen (the route's): the city and a ward are one page, so it may change in place. */
  view: () => LeaderView
  /** The filters the page asks for (the route's). */
  filters: Ref<LeaderFilters>
  /** Coalesces live changes into at most one reload per this many ms. */
  refreshMs?: number
}

/** Alerts kept for the leader's list (the wall keeps as many). */
const alertLimit = 200

/** A loaded view and the request it answers. */
type Shown = { key: string; view: LeaderView; filters: LeaderFilters; data: LeaderViewData }

/**
 * The live data of a leader screen: one `GET /api/v1/leader-view` (the view a snapshot freezes,
 * in the city's time zone), reloaded when the filters change and, coalesced, when the live
 * stream reports changes.
 *
 * Every answer carries the filters it was asked for. It is shown only while the page still asks
 * for those filters and only if no later-started load for them has landed, so an earlier
 * window's answer, however late, never shows under newer filters. `current` is false while the
 * data on screen belongs to other filters (the page marks it as loading). A live refresh never
 * cancels a load in flight for the same filters; it runs once more after it, so a stream busier
 * than the API is slow cannot keep every answer from landing.
 */
export function useLeaderView(options: UseLeaderViewOptions) {
  const wanted = computed(() => JSON.stringify([options.view(), options.filters.value]))
  const shown = shallowRef<Shown | null>(null)
  const failed = shallowRef<{ key: string; message: string } | null>(null)

  let started = 0
  let shownOrder = 0
  let running: { key: string; order: number } | null = null
  let again = false

  async function load() {
    const key = wanted.value
    if (running?.key === key) {
      again = true
      return
    }
    const order = ++started
    running = { key, order }
    again = false
    const view = options.view()
    const filters = options.filters.value
    try {
      const result = await getJson(
        `/api/v1/leader-view${toQuery({ view, ...filters })}`,
        leaderViewDataSchema,
      )
      if (key !== wanted.value || order < shownOrder) return
      if (!result.kpis) throw new Error('KPI API')
      shown.value = { key, view, filters, data: result }
      shownOrder = order
      failed.value = null
    } catch (e) {
      if (key === wanted.value && order >= shownOrder) failed.value = { key, message: (e as Error).message }
    } finally {
      if (running?.order === order) {
        running = null
        if (again) void load()
      }
    }
  }

  watch(wanted, load, { immediate: true })

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
  // The city's current alerts, as owned work: each later state (acknowledged, escalated,
  // directed) arrives as the same alert again; `resolved` withdraws it.
  const alerts = shallowRef(new Map<string, Alert>())
  live.socket.on('snapshot', (snapshot) => {
    alerts.value = new Map(snapshot.alerts.map((a) => [`${a.kind}:${a.id}`, a]))
  })
  // A burst comes as one frame, oldest first: applied in one go, one update for the views.
  live.socket.on('alerts', (frame) => {
    const next = new Map(alerts.value)
    for (const alert of frame) {
      if (alert.kind === 'resolved') next.delete(`${alert.resolves}:${alert.id}`)
      else next.set(`${alert.kind}:${alert.id}`, alert)
      if (next.size > alertLimit) next.delete(next.keys().next().value as string)
    }
    alerts.value = next
  })
  onScopeDispose(() => {
    if (timer) clearTimeout(timer)
  })

  return {
    /** The data on screen (possibly for earlier filters while `current` is false). */
    data: computed(() => shown.value?.data ?? null),
    /** The screen and filters `data` answers: draw the data with these, never with the route's. */
    dataView: computed(() => shown.value?.view ?? null),
    dataFilters: computed(() => shown.value?.filters ?? null),
    /** Whether `data` answers the filters the page asks for now. */
    current: computed(() => shown.value?.key === wanted.value),
    /** Why the filters asked for now could not be loaded, if they could not. */
    error: computed(() => (failed.value?.key === wanted.value ? failed.value.message : null)),
    reload: load,
    /** The current alerts of the city, by `kind:id`. */
    alerts,
    connection: live.state,
    lastMessageAt: live.lastMessageAt,
  }
}
