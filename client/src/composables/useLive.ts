import type { ClientToServerEvents, ServerToClientEvents } from '@citydeck/shared'
import { liveNamespace } from '@citydeck/shared/live-namespace'
import { io, type Socket } from 'socket.io-client'
import { onScopeDispose, type Ref, shallowRef } from 'vue'

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting'

export type UseLiveOptions = {
  /** Access token for the handshake; without it the session cookie is used. */
  token?: string | null
  /** Server origin; defaults to the page's own. */
  url?: string
}

/**
 * One socket.io connection to `/live` for the lifetime of the calling scope, with its state
 * for the connection indicator. Reconnects forever with backoff; closed on scope dispose.
 */
export function useLive(options: UseLiveOptions = {}): {
  socket: LiveSocket
  state: Ref<ConnectionState>
  lastMessageAt: Ref<Date | null>
} {
  const socket: LiveSocket = io(`${options.url ?? ''}${liveNamespace}`, {
    auth: options.token ? { token: options.token } : {},
    transports: ['websocket', 'polling'],
    reconnectionDelay: 1000,
    reconnectionDelayMax: 10_000,
  })
  const state = shallowRef<ConnectionState>('connecting')
  const lastMessageAt = shallowRef<Date | null>(null)
  const touch = () => {
    lastMessageAt.value = new Date()
  }
  socket.on('connect', () => {
    state.value = 'connected'
    touch()
  })
  socket.on('disconnect', () => {
    state.value = 'reconnecting'
  })
  socket.on('connect_error', () => {
    if (state.value === 'connected') state.value = 'reconnecting'
  })
  socket.onAny(touch)
  onScopeDispose(() => {
    socket.removeAllListeners()
    socket.close()
  })
  return { socket, state, lastMessageAt }
}

/** The token a screen was opened with (`?token=`), if any. */
export function tokenFromUrl(search = location.search): string | null {
  return new URLSearchParams(search).get('token')
}
