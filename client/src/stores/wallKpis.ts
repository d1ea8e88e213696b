import type { KpiBreakdown, KpiResponse, UnitScorecard } from '@citydeck/shared'
import { defineStore } from 'pinia'
import { shallowRef, triggerRef } from 'vue'
import { fetchWithin } from '../app/fetchWithin'

type Entry = {
  data: unknown
  fetchedAt: number
  error: string | null
  pending: Promise<void> | null
  /** Asked again while a request was in flight: fetch once more when it lands. */
  again: boolean
}

/** Results older than this are fetched again when a panel asks (charts need no second-by-second life). */
export const kpiMaxAgeMs = 60_000

/**
 * KPI API results the wall's charts and gauges draw (docs/design.md §3), cached by request. The set of
 * keys is fixed by the scenes' configuration, so the cache is bounded by construction.
 */
export const useWallKpiStore = defineStore('wallKpis', () => {
  const entries = shallowRef(new Map<string, Entry>())

  /** `key` names the request (stable); `url` is built fresh, since "now" moves. */
  function fetchNow(key: string, url: string): Promise<void> {
    const map = entries.value
    const entry = map.get(key) ?? { data: null, fetchedAt: 0, error: null, pending: null, again: false }
    map.set(key, entry)
    if (entry.pending) {
      entry.again = true
      return entry.pending
    }
    entry.pending = fetchWithin(url, { credentials: 'same-origin' })
      .then(async (res) => {
        if (!res.ok) throw new Error(`HTTP ${res.status}`)
        entry.data = await res.json()
        entry.error = null
      })
      .catch((e: Error) => {
        entry.error = e.message
      })
      .finally(() => {
        entry.fetchedAt = Date.now()
        entry.pending = null
        triggerRef(entries)
        if (entry.again) {
          entry.again = false
          void fetchNow(key, url)
        }
      })
    return entry.pending
  }

  /** Fetches unless a fresh enough result is cached under `key`. */
  function ensure(key: string, url: () => string, maxAgeMs = kpiMaxAgeMs): Promise<void> {
    const entry = entries.value.get(key)
    if (entry?.pending) return entry.pending
    if (entry && Date.now() - entry.fetchedAt < maxAgeMs) return Promise.resolve()
    return fetchNow(key, url())
  }

  const summary = (key: string) => (entries.value.get(key)?.data as KpiResponse | null) ?? null
  const breakdown = (key: string) => (entries.value.get(key)?.data as KpiBreakdown | null) ?? null
  const scorecard = (key: string) => (entries.value.get(key)?.data as UnitScorecard | null) ?? null
  const error = (key: string) => entries.value.get(key)?.error ?? null

  return { entries, ensure, fetchNow, summary, breakdown, scorecard, error }
})

/** URL of a KPI request for a window and scope. */
export function kpiUrl(
  path: 'kpis' | 'kpis/breakdown' | 'units/scorecard',
  window: { from: string; to: string },
  params: Record<string, string | null | undefined> = {},
): string {
  const query = new URLSearchParams({ from: window.from, to: window.to })
  for (const [key, value] of Object.entries(params)) if (value) query.set(key, value)
  return `/api/v1/${path}?${query}`
}
