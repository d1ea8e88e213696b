import { createServer, type Server as HttpServer } from 'node:http'
import type { KpiFrame } from '@citydeck/shared'
import { Server } from 'socket.io'
import { io as connect, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { emptyKpiSet } from '../../src/kpi/compute'
import { watchRoomOf } from '../../src/live/hub'
import { kpiSender } from '../../src/live/kpis'
import type { LiveNamespace, LiveServer } from '../../src/live/types'
import { until } from './support'

// KPI frames go out a slice of sockets per turn of the event loop (live/kpis.ts), so the change
// stream is not held up behind them. A socket.io server of its own: no database is involved.

const room = watchRoomOf({})
const members = 7
let http: HttpServer
let server: LiveServer
let nsp: LiveNamespace
const clients: Array<{ socket: Socket; events: Array<{ event: string; seq: number }> }> = []

const frame = (seq: number): KpiFrame => ({
  seq,
  scope: {},
  kpis: emptyKpiSet({ total: 0, fullOnline: 0, partialOnline: 0, nationalPortal: 0 }),
  open: { total: { open: 0, overdue: 0 }, byWard: {} },
})

beforeAll(async () => {
  http = createServer()
  server = new Server(http, { serveClient: false })
  nsp = server.of('/live')
  nsp.on('connection', (socket) => socket.join(room))
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const { port } = http.address() as { port: number }
  for (let i = 0; i < members; i++) {
    const socket = connect(`http://127.0.0.1:${port}/live`, { transports: ['websocket'], forceNew: true })
    const events: Array<{ event: string; seq: number }> = []
    socket.on('kpis', (f: KpiFrame) => events.push({ event: 'kpis', seq: f.seq }))
    socket.on('changes', (changes: Array<{ seq: number }>) =>
      events.push({ event: 'changes', seq: changes[0]!.seq }),
    )
    clients.push({ socket, events })
  }
  await until(() => nsp.adapter.rooms.get(room)?.size === members, 'every client in the watch room')
})

afterAll(async () => {
  for (const c of clients) c.socket.disconnect()
  server.close()
})

describe('KPI frames in slices', () => {
  it('reach every member of the watch room once, frame after frame in order', async () => {
    for (const c of clients) c.events.length = 0
    const send = kpiSender(nsp, 2)
    void send(frame(1))
    await send(frame(2))
    await until(() => clients.every((c) => c.events.length === 2), 'two frames at every client')
    for (const c of clients)
      expect(c.events).toEqual([
        { event: 'kpis', seq: 1 },
        { event: 'kpis', seq: 2 },
      ])
  })

  it('let changes published meanwhile go ahead of the members they have not reached yet', async () => {
    for (const c of clients) c.events.length = 0
    const sent = kpiSender(nsp, 2)(frame(3))
    // What the hub does with a batch the tail read while the frame is going out (an I/O callback
    // of the next turn; the item's content does not matter here).
    setImmediate(() =>
      nsp.local.to(room).emit('changes', [{ seq: 4, feed: 'tickets', id: 'x:1', item: {} } as never]),
    )
    await sent
    await until(() => clients.every((c) => c.events.length === 2), 'a frame and a change at every client')
    // The first slice was written before the change; every later member got the change first.
    expect(clients.slice(0, 2).map((c) => c.events[0]!.event)).toEqual(['kpis', 'kpis'])
    for (const c of clients.slice(2)) expect(c.events.map((e) => e.event)).toEqual(['changes', 'kpis'])
  })

  it('skip a member that left the room before its slice', async () => {
    for (const c of clients) c.events.length = 0
    const last = clients.at(-1)!
    const sent = kpiSender(nsp, 2)(frame(5))
    nsp.sockets.get(last.socket.id!)!.leave(room)
    await sent
    await until(() => clients.slice(0, -1).every((c) => c.events.length === 1), 'the frame at the members')
    // A frame sent to the room afterwards shows the left member's frame is not merely late.
    nsp.local.emit('changes', [{ seq: 6, feed: 'tickets', id: 'x:2', item: {} } as never])
    await until(() => last.events.length === 1, 'the later change at the member that left')
    expect(last.events).toEqual([{ event: 'changes', seq: 6 }])
  })
})
