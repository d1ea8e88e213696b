import { type LeaderFilters, leaderFiltersSchema, localDayOf, presetDays } from '@citydeck/shared'
import { defineStore } from 'pinia'
import { computed } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { useNow } from '../composables/useNow'
import { useCityStore } from './city'

const keys = [
  'preset',
  'from',
  'to',
  'ward',
  'unit',
  'category',
  'field',
  'q',
  'sort',
  'sla',
  'status',
] as const
type Patch = Partial<Record<(typeof keys)[number], string | undefined>>

/**
 * The leader view's filters live in the URL query (a link shows the same view to anyone), so
 * this store holds no copy of them: it reads the route and writes it back; the route's `:code`
 * sets the ward.
 */
export const useFiltersStore = defineStore('leaderFilters', () => {
  const route = useRoute()
  const router = useRouter()
  const city = useCityStore()
  const timeZone = () => city.timeZone()
  // The city's day: a page left open past midnight moves "today" and "7 days" on by itself
  // (a computed string, so the filters change once a day, not once a minute).
  const now = useNow(60_000)
  const today = computed(() => localDayOf(new Date(now.value), timeZone()))

  const filters = computed<LeaderFilters>(() => {
    const q = route.query
    const raw: Record<string, string> = {}
    for (const key of keys) if (typeof q[key] === 'string' && q[key]) raw[key] = q[key] as string
    if (typeof route.params.code === 'string') raw.ward = route.params.code
    const preset = (raw.preset ?? '7d') as LeaderFilters['preset']
    const days = preset === 'custom' ? null : presetDays(preset, today.value)
    const parsed = leaderFiltersSchema.safeParse({ ...raw, preset, ...(days ?? {}) })
    if (parsed.success) return parsed.data
    return leaderFiltersSchema.parse({ preset: '7d', ...presetDays('7d', today.value) })
  })

  /** Query parameters that keep the filters when navigating between leader pages. */
  const query = computed(() => patched({}))

  /** The route's query with `patch` applied (an empty value removes a key), in one key order. */
  function patched(patch: Patch): Record<string, string> {
    const next: Record<string, string> = {}
    const drop = patch.preset && patch.preset !== 'custom' ? ['from', 'to'] : []
    for (const key of keys) {
      const value = key in patch ? patch[key] : route.query[key]
      if (typeof value === 'string' && value && !drop.includes(key)) next[key] = value
    }
    return next
  }

  // Filter changes run one after another, each built from the route the previous one left: a
  // change built from the route while another is still on its way would undo it (vue-router
  // cancels the earlier navigation, and the later one carries the query from before it).
  let last: Promise<unknown> = Promise.resolve()
  function queue(go: () => Promise<unknown>) {
    const run = last.then(go)
    last = run.catch(() => undefined)
    return run
  }

  /** Changes filters on the current page (the URL is replaced, not pushed). */
  const set = (patch: Patch) => queue(() => router.replace({ query: patched(patch) }))
  /** Opens another leader page with the current filters, changed by `patch`. */
  const open = (path: string, patch: Patch = {}) => queue(() => router.push({ path, query: patched(patch) }))

  return { filters, query, set, open, timeZone }
})
