import type { SubscribeRequest } from '@citydeck/shared'
import { onScopeDispose } from 'vue'
import type { LiveSocket } from './useLive'

const subscribeTimeoutMs = 30_000
const maxRetryDelayMs = 30_000

/**
 * Subscribes on every (re)connect with the request of that moment (a resume carries the last
 * `seq` seen). A refused or unanswered subscribe (database trouble on the server) is retried
 * with backoff while connected: a screen must never sit connected but deaf. A reconnect
 * subscribes anew; the retry timer goes with the calling scope.
 */
export function subscribeOnConnect(socket: LiveSocket, request: () => SubscribeRequest): void {
  let attempt = 0
  let current = 0
  let retry: ReturnType<typeof setTimeout> | undefined
  const subscribe = () => {
    clearTimeout(retry)
    const mine = ++current
    socket.timeout(subscribeTimeoutMs).emit('subscribe', request(), (error, reply) => {
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
  socket.on('connect', subscribe)
  onScopeDispose(() => clearTimeout(retry))
}
