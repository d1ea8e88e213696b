import type { Server as HttpServer } from 'node:http'
import { type ClientToServerEvents, liveNamespace, type ServerToClientEvents } from '@citydeck/shared'
import { Server } from 'socket.io'
import type { AppDeps } from '../context'

export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents>

/** socket.io on the HTTP server's own port, namespace `/live` (DESIGN §4). */
export function attachLive(httpServer: HttpServer, deps: AppDeps): LiveServer {
  const io: LiveServer = new Server(httpServer, {
    serveClient: false,
    pingInterval: 10_000,
    pingTimeout: 10_000,
  })
  const live = io.of(liveNamespace)
  live.on('connection', (socket) => {
    deps.metrics.socketConnections.inc()
    socket.on('disconnect', () => deps.metrics.socketConnections.dec())
  })
  return io
}
