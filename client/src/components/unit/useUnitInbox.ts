import { bySlaUrgency, type Task, type TaskPage, type Ticket, type TicketPage } from '@citydeck/shared'
import { onScopeDispose, shallowRef } from 'vue'
import { callApi } from '../../app/api'
import { subscribeOnConnect } from '../../composables/subscribeOnConnect'
import { useLive } from '../../composables/useLive'

/**
 * A unit's inbox (docs/design.md §9): its open tasks and tickets, most urgent first (overdue on top),
 * reloaded when its live stream reports a change. It asks only for its own; the server refuses
 * anything else.
 */
export function useUnitInbox(unit: string, refreshMs = 300) {
  const tasks = shallowRef<Task[]>([])
  const tickets = shallowRef<Ticket[]>([])
  const loaded = shallowRef(false)
  const error = shallowRef<string | null>(null)
  let running = false
  let again = false

  async function load() {
    if (running) {
      again = true
      return
    }
    running = true
    const [t, k] = await Promise.all([
      callApi<TaskPage>('GET', `/api/v1/tasks?${new URLSearchParams({ unit, open: 'true', limit: '500' })}`),
      callApi<TicketPage>(
        'GET',
        `/api/v1/tickets?${new URLSearchParams({ unit, open: 'true', limit: '500' })}`,
      ),
    ])
    if (t.ok) tasks.value = [...t.data.items].sort(bySlaUrgency)
    if (k.ok) tickets.value = [...k.data.items].sort(bySlaUrgency)
    error.value = !t.ok ? t.error.message : !k.ok ? k.error.message : null
    loaded.value = true
    running = false
    if (again) {
      again = false
      void load()
    }
  }
  void load()

  const live = useLive({})
  let timer: ReturnType<typeof setTimeout> | null = null
  subscribeOnConnect(live.socket, () => ({ scope: { unit } }))
  const schedule = () => {
    timer ??= setTimeout(() => {
      timer = null
      void load()
    }, refreshMs)
  }
  live.socket.on('changes', schedule)
  live.socket.on('snapshot', schedule)
  onScopeDispose(() => {
    if (timer) clearTimeout(timer)
  })
  return {
    tasks,
    tickets,
    loaded,
    error,
    reload: load,
    connection: live.state,
    lastMessageAt: live.lastMessageAt,
  }
}
