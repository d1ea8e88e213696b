import type { CityResponse } from '@citydeck/shared'
import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import { fetchWithin } from '../app/fetchWithin'

/** The city profile and ward polygons, fetched once from the server (works offline). */
export const useCityStore = defineStore('city', () => {
  const city = shallowRef<CityResponse | null>(null)
  const error = shallowRef<string | null>(null)
  let loading: Promise<void> | null = null

  function load(): Promise<void> {
    loading ??= fetchWithin('/api/v1/city')
      .then(async (res) => {
        if (!res.ok) throw new Error(`HTTP ${res.status}`)
        city.value = (await res.json()) as CityResponse
        error.value = null
      })
      .catch((e: Error) => {
        error.value = e.message
        loading = null
      })
    return loading
  }

  function wardName(code: string | null | undefined): string {
    if (!code) return ''
    return city.value?.profile.wards.find((w) => w.code === code)?.name ?? code
  }

  /** The city's time zone: every time on a screen is read in it, not in the screen's own. */
  function timeZone(): string {
    return city.value?.profile.timeZone ?? 'Asia/Ho_Chi_Minh'
  }

  return { city, error, load, wardName, timeZone }
})
