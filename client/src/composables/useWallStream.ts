import type { LiveScope } from '@citydeck/shared'
import { onScopeDispose } from 'vue'
import { useLiveStore } from '../stores/live'
import { type UseLiveOptions, useLive } from './useLive'

const subscribeTimeoutMs = 30_000
const maxRetryDelayMs = 30_000

export type UseWallStreamOptions = UseLiveOptions & {
  /** The ward a screen watches, or the whole city. */
  scope: LiveScope
}

/**
 * The live stream of one scope into the live store: subscribe on every (re)connect with the
 * last `seq` seen, so a screen that lost the server resumes where it stopped, without a reload
 * (DESIGN §4). Listeners and the socket go with the calling scope (useLive cleans up).
 */
export function useWallStream(options: UseWallStreamOptions) {
  const store = useLiveStore()
  const live = useLive(options)
  const { socket } = live
  // A refused or unanswered subscribe (database trouble on the server) is retried with backoff
  // while connected: a screen must never sit connected but deaf. A reconnect subscribes anew.
  let attempt = 0
  let current = 0
  let retry: ReturnType<typeof setTimeout> | undefined
  const subscribe = () => {
    clearTimeout(retry)
    const mine = ++current
    const since = store.seq > 0 ? store.seq : undefined
    const request = { scope: options.scope, ...(since !== undefined ? { since } : {}) }
    socket.timeout(subscribeTimeoutMs).emit('subscribe', request, (error, reply) => {
      if (mine !== current) return
      if (!error && reply.ok) {
        attempt = 0
        return
      }
      if (!socket.connected) return
      const why = error ? 'unanswered' : `refused: ${reply.ok ? '' : reply.error}`
      const delay = Math.min(maxRetryDelayMs, 1000 * 2 ** attempt++)
      console.warn(`live: subscribe ${why}; retrying in ${delay / 1000} s`)
      retry = setTimeout(subscribe, delay)
    })
  }
  onScopeDispose(() => clearTimeout(retry))
  socket.on('connect', subscribe)
  socket.on('snapshot', (snapshot) => store.applySnapshot(snapshot))
  socket.on('changes', (changes) => store.applyChanges(changes))
  socket.on('kpis', (frame) => store.applyKpis(frame))
  socket.on('alert', (alert) => store.applyAlert(alert))
  return live
}
