import { type LeaderFilters, type TaskPage, taskPageSchema, toQuery } from '@citydeck/shared'
import { computed, onScopeDispose, type Ref, shallowRef, watch } from 'vue'
import { getJson } from '../../app/api'
import { subscribeOnConnect } from '../../composables/subscribeOnConnect'
import { useLive } from '../../composables/useLive'

/** How many tasks a page of the list shows (the next ones one click away). */
export const taskPageSize = 50

/**
 * `GET /api/v1/tasks` parameters of the list page's filters: unit, ward, status and SLA state
 * now, soonest deadline first (docs/design.md §9; the tasks are not narrowed by the period: the
 * "Nhiệm vụ quá hạn" tile counts overdue tasks of any age, as the ticket lists do).
 */
export function taskListQuery(filters: LeaderFilters, limit = taskPageSize) {
  return {
    unit: filters.unit,
    ward: filters.ward,
    status: filters.status,
    sla: filters.sla,
    sort: 'dueAt',
    limit: String(limit),
  }
}

/**
 * The tasks the filters select, a page at a time; reloaded when the filters change and, coalesced,
 * when a task changes live (unless more pages are open: a reload would fold them away under the reader).
 */
export function useTaskList(filters: Ref<LeaderFilters>) {
  const items = shallowRef<TaskPage['items']>([])
  const cursor = shallowRef<string | null>(null)
  const loaded = shallowRef(false)
  const busy = shallowRef(false)
  const error = shallowRef<string | null>(null)
  const key = computed(() => JSON.stringify(taskListQuery(filters.value)))
  let asked = ''

  async function page(after: string | null): Promise<TaskPage> {
    const q = { ...taskListQuery(filters.value), cursor: after ?? undefined }
    return getJson(`/api/v1/tasks${toQuery(q)}`, taskPageSchema)
  }
  async function load() {
    const wanted = key.value
    asked = wanted
    busy.value = true
    try {
      const first = await page(null)
      if (asked !== wanted) return
      items.value = first.items
      cursor.value = first.nextCursor
      error.value = null
      loaded.value = true
    } catch (e) {
      if (asked === wanted) error.value = (e as Error).message
    } finally {
      if (asked === wanted) busy.value = false
    }
  }
  async function more() {
    if (!cursor.value || busy.value) return
    const wanted = key.value
    busy.value = true
    try {
      const next = await page(cursor.value)
      if (asked !== wanted) return
      items.value = [...items.value, ...next.items]
      cursor.value = next.nextCursor
    } catch (e) {
      error.value = (e as Error).message
    } finally {
      busy.value = false
    }
  }
  watch(key, load, { immediate: true })

  const live = useLive({})
  let timer: ReturnType<typeof setTimeout> | null = null
  subscribeOnConnect(live.socket, () => ({ scope: {} }))
  live.socket.on('changes', (changes) => {
    if (!changes.some((c) => c.feed === 'tasks') || items.value.length > taskPageSize) return
    timer ??= setTimeout(() => {
      timer = null
      void load()
    }, 3000)
  })
  onScopeDispose(() => {
    if (timer) clearTimeout(timer)
  })
  return { items, hasMore: computed(() => cursor.value !== null), loaded, busy, error, more, reload: load }
}
