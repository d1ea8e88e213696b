import type {
  Alert,
  Change,
  ClientToServerEvents,
  KpiFrame,
  ServerToClientEvents,
  Snapshot,
  SubscribeAck,
  SubscribeRequest,
} from '@citydeck/shared'
import { io, type Socket } from 'socket.io-client'
import { testFeedSource, testTokens } from '../support/test-server'

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>

/** A real socket.io client that records every frame it receives, in order. */
export type Recorder = {
  socket: LiveSocket
  snapshots: Snapshot[]
  changes: Change[]
  frames: Array<{ event: string; payload: unknown }>
  kpis: KpiFrame[]
  alerts: Alert[]
  /** Highest seq seen, what a client passes as `since` on reconnect. */
  lastSeq: () => number
  subscribe: (request: SubscribeRequest) => Promise<SubscribeAck>
  /** Why subscribes were refused or unanswered, for timeout messages. */
  refusals: string[]
  close: () => void
}

export function connectLive(
  url: string,
  options: { token?: string; headers?: Record<string, string>; reconnection?: boolean } = {},
): Recorder {
  const socket: LiveSocket = io(`${url}/live`, {
    auth: options.token ? { token: options.token } : {},
    extraHeaders: options.headers,
    transports: ['websocket'],
    reconnection: options.reconnection ?? false,
    forceNew: true,
  })
  const r: Recorder = {
    socket,
    snapshots: [],
    changes: [],
    frames: [],
    kpis: [],
    alerts: [],
    refusals: [],
    lastSeq: () => Math.max(r.snapshots.at(-1)?.seq ?? 0, r.changes.at(-1)?.seq ?? 0),
    subscribe: (request) => socket.timeout(20_000).emitWithAck('subscribe', request),
    close: () => socket.disconnect(),
  }
  socket.onAny((event, payload) => r.frames.push({ event, payload }))
  socket.on('snapshot', (s) => r.snapshots.push(s))
  socket.on('changes', (c) => r.changes.push(...c))
  socket.on('kpis', (k) => r.kpis.push(k))
  socket.on('alerts', (a) => r.alerts.push(...a))
  return r
}

/** Resolves once connected, rejects with the server's connect_error message. */
export function connected(r: Recorder): Promise<void> {
  return new Promise((resolve, reject) => {
    if (r.socket.connected) return resolve()
    r.socket.once('connect', () => resolve())
    r.socket.once('connect_error', (error) => reject(error))
  })
}

/** Polls a condition (real sockets deliver asynchronously); fails with `what` after the timeout. */
export async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const started = Date.now()
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

export const wards = { muiNe: '22915', hamTien: '22918' } as const

/** A ticket with personal data, in the test feed's source. */
export function ticket(ref: string, over: Record<string, unknown> = {}) {
  const now = new Date()
  return {
    source: testFeedSource,
    ref,
    updatedAt: now.toISOString(),
    category: 'waste',
    title: `Rác tồn đọng ${ref}`,
    location: { lat: 10.95, lng: 108.28 },
    wardCode: wards.muiNe,
    status: 'received',
    receivedAt: now.toISOString(),
    reporter: { name: 'Nguyễn Văn Báo', phone: '0901234567', email: 'bao@example.vn' },
    ...over,
  }
}

/** POST /api/v1/feeds/:feed with the test feed key; returns the response body. */
export async function ingest(url: string, items: unknown[], feed = 'tickets') {
  const res = await fetch(`${url}/api/v1/feeds/${feed}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${testTokens.feed}`, 'content-type': 'application/json' },
    body: JSON.stringify(items),
  })
  const body = await res.json()
  if (res.status !== 200 && res.status !== 201)
    throw new Error(`ingest ${res.status}: ${JSON.stringify(body)}`)
  return body as { created: number; updated: number; lastSeq?: number }
}

/** Seqs strictly increasing, and each id+seq once: the exactly-once, in-order property. */
export function assertInOrderOnce(changes: Change[]): void {
  for (let i = 1; i < changes.length; i++) {
    if (changes[i]!.seq <= changes[i - 1]!.seq) {
      throw new Error(`seq ${changes[i]!.seq} after ${changes[i - 1]!.seq} at ${i}: out of order or repeated`)
    }
  }
}

/** What a client does on every (re)connect: subscribe again from the last seq it saw. */
export function resumeOnConnect(r: Recorder, scope: { ward?: string } = {}): void {
  // Like the app (client/src/composables/subscribeOnConnect.ts): a refused subscribe is retried
  // while connected, and noted so a test that times out can say why.
  const subscribe = () => {
    const since = r.snapshots.length || r.changes.length ? r.lastSeq() : undefined
    r.subscribe(since === undefined ? { scope } : { scope, since }).then(
      (ack) => {
        if (ack.ok) return
        r.refusals.push(ack.error)
        if (r.socket.connected) setTimeout(subscribe, 500)
      },
      (error: Error) => r.refusals.push(error.message),
    )
  }
  r.socket.on('connect', subscribe)
}
