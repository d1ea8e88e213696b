import type { ProcedureCatalog } from '@citydeck/shared'
import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import { fetchWithin } from '../app/fetchWithin'

type Entry = ProcedureCatalog['items'][number]

/**
 * The procedure catalog (GET /api/v1/procedures), fetched once, so a dossier shows its
 * procedure's name. Until it arrives, or where it cannot be read, a code shows as itself.
 */
export const useProceduresStore = defineStore('procedures', () => {
  const items = shallowRef<Entry[]>([])
  let loading: Promise<void> | null = null
  const byCode = computed(() => new Map(items.value.map((p) => [p.code, p])))

  function load(): Promise<void> {
    loading ??= fetchWithin('/api/v1/procedures', { credentials: 'same-origin' })
      .then(async (res) => {
        if (!res.ok) throw new Error(`HTTP ${res.status}`)
        const catalog = ((await res.json()) as ProcedureCatalog).items
        const listed = new Set(catalog.map((p) => p.code))
        // Entries adopted from a snapshot meanwhile stay (the catalog may have dropped one since).
        items.value = [...catalog, ...items.value.filter((p) => !listed.has(p.code))]
      })
      // Not retried: a refusal stays one, and codes are a readable fallback.
      .catch(() => undefined)
    return loading
  }
  /**
   * Entries frozen into a snapshot (its page has no login, so no catalog): known from now on,
   * beside whatever the catalog holds.
   */
  function adopt(frozen: readonly Entry[]) {
    const known = byCode.value
    const added = frozen.filter((p) => !known.has(p.code))
    if (added.length) items.value = [...items.value, ...added]
  }
  const find = (code: string | null | undefined) => (code ? byCode.value.get(code) : undefined)
  return { items, load, adopt, find }
})
