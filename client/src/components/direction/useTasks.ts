import type { Change, LiveScope, TaskDetail, TaskPage } from '@citydeck/shared'
import { onScopeDispose, shallowRef, watch } from 'vue'
import { callApi, itemPath } from '../../app/api'
import { subscribeOnConnect } from '../../composables/subscribeOnConnect'
import { useLive } from '../../composables/useLive'

export type UseTasksOptions = {
  /** `ticket:<source>:<ref>` for the tasks about an item, or `task:<source>:<ref>` for one task. */
  key: () => string | null
  /** What to watch live: the city for a leader, its own unit for a unit. */
  scope?: () => LiveScope
  /** Coalesces live task changes into one reload per this many ms. */
  refreshMs?: number
}

/**
 * The tasks about an item (or one task), each with every version of it, kept current from the
 * live stream: a change to a task about the item, or to the task, loads them again.
 */
export function useTasks(options: UseTasksOptions) {
  const tasks = shallowRef<TaskDetail[]>([])
  const loaded = shallowRef(false)
  const missing = shallowRef(false)
  const error = shallowRef<string | null>(null)
  let running = false
  let again = false

  async function load() {
    const key = options.key()
    if (!key) return
    if (running) {
      again = true
      return
    }
    running = true
    const [kind] = key.split(':', 1)
    const id = key.slice(kind!.length + 1)
    let ids: string[] = [id]
    if (kind !== 'task') {
      const list = await callApi<TaskPage>(
        'GET',
        `/api/v1/tasks?${new URLSearchParams({ subject: key, sort: '-issuedAt', limit: '50' })}`,
      )
      ids = list.ok ? list.data.items.map((t) => `${t.source}:${t.ref}`) : []
      if (!list.ok) error.value = list.error.message
    }
    const details = await Promise.all(
      ids.map((i) => callApi<TaskDetail>('GET', itemPath('/api/v1/tasks', i))),
    )
    if (key === options.key()) {
      const failed = details.find((d) => !d.ok && d.error.status !== 404)
      error.value =
        failed && !failed.ok ? failed.error.message : kind === 'task' || !error.value ? null : error.value
      missing.value = kind === 'task' && details[0]?.ok === false && details[0].error.status === 404
      tasks.value = details.flatMap((d) => (d.ok ? [d.data] : []))
      loaded.value = true
    }
    running = false
    if (again) {
      again = false
      void load()
    }
  }
  watch(options.key, load, { immediate: true })

  const about = (change: Change) => {
    const key = options.key()
    if (change.feed !== 'tasks' || !key) return false
    const subject = change.item.subject
    return (
      key === `task:${change.id}` || (!!subject && key === `${subject.kind}:${subject.source}:${subject.ref}`)
    )
  }
  const live = useLive({})
  let timer: ReturnType<typeof setTimeout> | null = null
  subscribeOnConnect(live.socket, () => ({ scope: options.scope?.() ?? {} }))
  live.socket.on('changes', (changes) => {
    if (!changes.some(about)) return
    timer ??= setTimeout(() => {
      timer = null
      void load()
    }, options.refreshMs ?? 300)
  })
  onScopeDispose(() => {
    if (timer) clearTimeout(timer)
  })
  return { tasks, loaded, missing, error, reload: load }
}
