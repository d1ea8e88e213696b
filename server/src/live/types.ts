import type { ClientToServerEvents, ServerToClientEvents } from '@citydeck/shared'
import type { Namespace, Server, Socket } from 'socket.io'
import type { Principal } from '../access/principal'
import type { LiveClient } from './hub'

/** What the handshake and the hub keep on each socket. */
export type LiveSocketData = {
  principal: Principal
  /** Whether the caller may see personal data. */
  personal: boolean
  live: LiveClient
}

// The shared event maps (docs/design.md §4), typed end to end: no cast between them and socket.io.
type InterServer = Record<string, never>
export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, InterServer, LiveSocketData>
export type LiveNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, InterServer, LiveSocketData>
export type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServer, LiveSocketData>
