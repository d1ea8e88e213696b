import type { Change, LiveScope, SubscribeAck } from '@citydeck/shared'
import { redactChange } from '@citydeck/shared/redact'
import { type ChangeRow, changeLogBounds, readChanges, toChange } from '../changelog/changelog.sql'
import type { AppDeps } from '../context'
import { liveFrameOf } from '../kpi/live-kpis'
import { logger } from '../observability/logger'
import type { SendQueue } from './send-queue'
import { buildSnapshot } from './snapshot'
import type { ChangeTail } from './tail'
import type { LiveNamespace, LiveSocket } from './types'

const log = logger.child({ module: 'live.hub' })

/** A connected client's live state; `generation` cancels a subscribe that a newer one replaced. */
export type LiveClient = {
  socket: LiveSocket
  personal: boolean
  scope: LiveScope | null
  room: string | null
  generation: number
  /** What engine.io holds for this client, for the slow-reader bound. */
  sendQueue: SendQueue
}

type RoomInfo = { scope: LiveScope; personal: boolean; members: number }

export type HubOptions = {
  /** Bytes a client may have queued (engine.io's buffer) before it is dropped to snapshot-resync mode. */
  maxQueuedBytes: number
  /** Rows per replay read. */
  replayBatch: number
}

/** The room of a scope's changes, split by whether its members may see personal data. */
export const roomOf = (scope: LiveScope, personal: boolean) =>
  `scope:${scope.unit === undefined ? (scope.ward ?? '*') : `unit:${scope.unit}`}:${personal ? 'full' : 'public'}`

/** Whether a change belongs to a scope: its ward, or its responsible unit. */
export function inScope(row: ChangeRow, scope: LiveScope): boolean {
  if (scope.unit !== undefined) return 'unit' in row.item && row.item.unit === scope.unit
  return scope.ward === undefined || row.wardCode === scope.ward
}

/**
 * The room of a scope's alerts and KPI frames (no personal data in either), joined as soon as
 * a client subscribes, so an alert raised while it reads its snapshot or replay still reaches it.
 */
export const watchRoomOf = (scope: LiveScope) =>
  scope.unit === undefined ? `watch:${scope.ward ?? '*'}` : `watch:unit:${scope.unit}`

/** The city or ward a room watches (for KPI frames), or null when it is no such watch room. */
export function scopeOfWatchRoom(room: string): LiveScope | null {
  if (!room.startsWith('watch:') || room.startsWith('watch:unit:')) return null
  const ward = room.slice('watch:'.length)
  return ward === '*' ? {} : { ward }
}

/**
 * Fans the change log out to this process's clients. A subscribed client is in its scope's
 * room, and a batch is encoded once per room (socket.io broadcast), so per-client work is one
 * write. A client catching up (snapshot or replay) is outside the room until its cursor meets
 * the tail's `delivered`; that check and the join happen in one synchronous step.
 */
export class LiveHub {
  private readonly rooms = new Map<string, RoomInfo>()

  constructor(
    private readonly nsp: LiveNamespace,
    private readonly deps: AppDeps,
    private readonly tail: ChangeTail,
    private readonly options: HubOptions,
  ) {}

  /** Called by the tail with each new batch, in seq order. */
  publish(rows: ChangeRow[]): void {
    const changes = rows.map(toChange)
    let redacted: Change[] | undefined
    for (const [room, info] of this.rooms) {
      if (!info.personal && !redacted) redacted = changes.map(redactChange)
      const all = info.personal ? changes : redacted!
      const scope = info.scope
      const whole = scope.ward === undefined && scope.unit === undefined
      const frame = whole ? all : all.filter((_, i) => inScope(rows[i]!, scope))
      if (frame.length === 0) continue
      this.nsp.local.to(room).emit('changes', frame)
      this.enforceBackpressure(room)
    }
  }

  async subscribe(client: LiveClient, scope: LiveScope, since: number | undefined): Promise<SubscribeAck> {
    this.leave(client)
    if (client.scope) client.socket.leave(watchRoomOf(client.scope))
    const generation = ++client.generation
    client.scope = scope
    client.socket.join(watchRoomOf(scope))
    if (since !== undefined && (await this.canResumeFrom(since))) {
      const ack = await this.replayAndJoin(client, generation, since)
      if (ack.ok) await this.sendTodayKpis(client, generation, scope, ack.seq)
      return ack
    }
    const snapshot = await buildSnapshot(this.deps, scope, client.personal)
    if (client.generation !== generation) return { ok: false, error: 'replaced by a newer subscribe' }
    client.socket.emit('snapshot', since !== undefined ? { ...snapshot, resync: true } : snapshot)
    return this.replayAndJoin(client, generation, snapshot.seq)
  }

  /**
   * The KPI frames pushed while a client was away died with its old socket, and a resume has no
   * snapshot: without one fresh frame its tiles would keep the numbers from before the gap until
   * the next change in its scope. Sent after the replay, so it counts at least what was replayed.
   */
  private async sendTodayKpis(client: LiveClient, generation: number, scope: LiveScope, seq: number) {
    try {
      const frame = await liveFrameOf(this.deps, scope)
      if (client.generation === generation && client.socket.connected) {
        client.socket.emit('kpis', { seq, scope, ...frame })
      }
    } catch (error) {
      // The client is subscribed and live; the next frame or its periodic read will correct it.
      log.warn({ err: error }, 'KPIs for a resumed client failed')
    }
  }

  /** Replays (cursor, delivered] from the log, then joins the room without a gap or a repeat. */
  private async replayAndJoin(client: LiveClient, generation: number, from: number): Promise<SubscribeAck> {
    let cursor = from
    const scope = client.scope!
    for (;;) {
      if (client.generation !== generation || !client.socket.connected) {
        return { ok: false, error: 'replaced by a newer subscribe' }
      }
      if (cursor > this.tail.delivered) {
        await this.tail.catchUp()
        // The tail could not read (database trouble): wait for its retry instead of spinning.
        if (cursor > this.tail.delivered) await new Promise((resolve) => setTimeout(resolve, 200))
        continue
      }
      if (cursor === this.tail.delivered) {
        this.join(client, roomOf(scope, client.personal))
        return { ok: true, seq: cursor }
      }
      const upto = this.tail.delivered
      const rows = await readChanges(this.deps.sql, cursor, upto, this.options.replayBatch)
      if (client.generation !== generation) continue
      const scoped = rows.filter((r) => inScope(r, scope))
      if (scoped.length) {
        const frame = scoped.map(toChange)
        client.socket.emit('changes', client.personal ? frame : frame.map(redactChange))
      }
      cursor = rows.length < this.options.replayBatch ? upto : rows.at(-1)!.seq
      if (queuedBytes(client.socket) > this.options.maxQueuedBytes) {
        // Replaying faster than the client reads: wait for its buffer to drain, then go on.
        await drained(client.socket)
      }
    }
  }

  /** A client may resume when every change after `since` is still in the log and `since` is real. */
  private async canResumeFrom(since: number): Promise<boolean> {
    if (since > this.tail.delivered) await this.tail.catchUp()
    if (since > this.tail.delivered) return false
    const { oldest } = await changeLogBounds(this.deps.sql)
    if (oldest === null) return since === this.tail.delivered
    return since >= oldest - 1
  }

  /**
   * A client whose socket buffer passed the bound stops getting frames (its memory stays
   * bounded); once its buffer has drained it gets a fresh snapshot flagged `resync`.
   */
  private enforceBackpressure(room: string): void {
    const members = this.nsp.adapter.rooms.get(room)
    if (!members) return
    for (const id of members) {
      const socket = this.nsp.sockets.get(id)
      if (!socket || queuedBytes(socket) <= this.options.maxQueuedBytes) continue
      const client = socket.data.live
      if (!client?.scope) continue
      this.leave(client)
      const generation = ++client.generation
      log.info({ socket: id, queuedBytes: queuedBytes(socket) }, 'slow client dropped to resync')
      this.deps.metrics.liveDroppedClients.inc({ reason: 'slow' })
      const scope = client.scope
      socket.conn.once('drain', () => {
        if (client.generation !== generation || !socket.connected) return
        this.resync(client, scope).catch((error) => log.warn({ err: error }, 'resync failed'))
      })
    }
  }

  private async resync(client: LiveClient, scope: LiveScope): Promise<void> {
    const generation = ++client.generation
    const snapshot = await buildSnapshot(this.deps, scope, client.personal)
    if (client.generation !== generation) return
    client.socket.emit('snapshot', { ...snapshot, resync: true })
    await this.replayAndJoin(client, generation, snapshot.seq)
  }

  private join(client: LiveClient, room: string): void {
    client.socket.join(room)
    client.room = room
    const info = this.rooms.get(room)
    if (info) info.members++
    else this.rooms.set(room, { scope: client.scope!, personal: client.personal, members: 1 })
  }

  leave(client: LiveClient): void {
    if (!client.room) return
    client.socket.leave(client.room)
    const info = this.rooms.get(client.room)
    if (info && --info.members === 0) this.rooms.delete(client.room)
    client.room = null
  }
}

/** Resolves when the socket's engine buffer was handed to the transport, or the socket left. */
function drained(socket: LiveSocket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.conn.off('drain', done)
      socket.off('disconnect', done)
      resolve()
    }
    socket.conn.on('drain', done)
    socket.on('disconnect', done)
  })
}

/** Bytes engine.io holds for this client (send-queue.ts); 0 for a socket the hub never admitted. */
const queuedBytes = (socket: LiveSocket): number => socket.data.live?.sendQueue.queuedBytes ?? 0
