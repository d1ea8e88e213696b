import { type LeaderFilters, leaderFiltersSchema, localDayOf, presetDays } from '@citydeck/shared'
import { defineStore } from 'pinia'
import { computed } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { useCityStore } from './city'

const keys = ['preset', 'from', 'to', 'ward', 'unit', 'category', 'field', 'q', 'sort'] as const

/**
 * The leader view's filters live in the URL query (a link shows the same view to anyone), so
 * this store only reads the route and writes it back; the route's `:code` sets the ward.
 */
export const useFiltersStore = defineStore('leaderFilters', () => {
  const route = useRoute()
  const router = useRouter()
  const city = useCityStore()
  const timeZone = () => city.city?.profile.timeZone ?? 'Asia/Ho_Chi_Minh'

  const filters = computed<LeaderFilters>(() => {
    const q = route.query
    const raw: Record<string, string> = {}
    for (const key of keys) if (typeof q[key] === 'string' && q[key]) raw[key] = q[key] as string
    if (typeof route.params.code === 'string') raw.ward = route.params.code
    const preset = (raw.preset ?? '7d') as LeaderFilters['preset']
    const days = preset === 'custom' ? null : presetDays(preset, localDayOf(new Date(), timeZone()))
    const parsed = leaderFiltersSchema.safeParse({ ...raw, preset, ...(days ?? {}) })
    if (parsed.success) return parsed.data
    const today = localDayOf(new Date(), timeZone())
    return leaderFiltersSchema.parse({ preset: '7d', ...presetDays('7d', today) })
  })

  /** Query parameters that keep the filters when navigating between leader pages. */
  const query = computed(() => {
    const out: Record<string, string> = {}
    for (const key of keys) {
      const value = route.query[key]
      if (typeof value === 'string' && value && key !== 'ward') out[key] = value
    }
    if (typeof route.query.ward === 'string' && route.query.ward) out.ward = route.query.ward
    return out
  })

  function set(patch: Partial<Record<(typeof keys)[number], string | undefined>>) {
    const next: Record<string, string> = { ...query.value }
    for (const [key, value] of Object.entries(patch)) {
      if (value) next[key] = value
      else delete next[key]
    }
    if (patch.preset && patch.preset !== 'custom') {
      delete next.from
      delete next.to
    }
    return router.replace({ query: next })
  }

  return { filters, query, set, timeZone }
})
