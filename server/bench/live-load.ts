import { type ChildProcess, spawn } from 'node:child_process'
import type { Change } from '@citydeck/shared'
import { io, type Socket } from 'socket.io-client'

/** One system under test: where clients connect, how they subscribe, where changes are posted. */
export type System<Name extends string = string> = {
  name: Name
  /** Where clients connect: client i to `urls[i % urls.length]` (one URL per server process). */
  urls: string[]
  /** Namespace path the clients connect to. */
  path: string
  auth?: Record<string, string>
  /** Whether a client subscribes once connected (citydeck) or only listens (bare). */
  subscribes: boolean
  /** Posts a batch; resolves when the HTTP response arrived. */
  post: (items: BenchItem[]) => Promise<void>
  /** Extracts the bench sequence numbers a client received from one frame. */
  listen: (socket: Socket, onChange: (k: number) => void) => void
}

export type BenchItem = { ref: string } & Record<string, unknown>
export type Stats = {
  p50: number
  p95: number
  p99: number
  max: number
  deliveredPerSec: number
  delivered: number
  expected: number
}

/** Starts a child process and resolves with the URL it prints. */
export function startChild(args: string[], env: NodeJS.ProcessEnv, pattern: RegExp) {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const url = new Promise<string>((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      output += chunk.toString()
      const m = output.match(pattern)
      if (m) resolve(m[1]!)
    }
    child.stdout!.on('data', seen)
    child.stderr!.on('data', (c: Buffer) => {
      output += c.toString()
    })
    child.once('exit', (code) => {
      if (!stopping.has(child))
        process.stderr.write(`${args.join(' ')} exited ${code}: ${output.slice(-2000)}\n`)
      reject(new Error(`${args.join(' ')} exited ${code}`))
    })
  })
  return { child, url }
}

/** Children this process is stopping; any other exit is reported. */
const stopping = new WeakSet<ChildProcess>()

export function stopChild(child: ChildProcess): Promise<void> {
  stopping.add(child)
  if (child.exitCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

/**
 * Makes clients 0..n-1 connected (and, for citydeck, subscribed), replacing any that a
 * saturated earlier run got disconnected. Returns how many it had to replace.
 */
export async function ensureClients(
  system: System,
  sockets: Socket[],
  n: number,
  onChange: (i: number, k: number) => void,
): Promise<number> {
  const missing: number[] = []
  for (let i = 0; i < n; i++) if (!sockets[i]?.connected) missing.push(i)
  const replaced = missing.filter((i) => sockets[i]).length
  for (let c = 0; c < missing.length; c += 100) {
    await Promise.all(
      missing.slice(c, c + 100).map(async (index) => {
        sockets[index]?.removeAllListeners()
        sockets[index]?.disconnect()
        const socket = io(`${system.urls[index % system.urls.length]}${system.path}`, {
          auth: system.auth ?? {},
          transports: ['websocket'],
          reconnection: false,
          forceNew: true,
        })
        sockets[index] = socket
        system.listen(socket, (k) => onChange(index, k))
        await new Promise<void>((resolve, reject) => {
          socket.once('connect', () => resolve())
          socket.once('connect_error', reject)
        })
        if (system.subscribes) await socket.timeout(60_000).emitWithAck('subscribe', { scope: {} })
      }),
    )
  }
  return replaced
}

/**
 * Offers `rate` changes/s for `seconds` (one batch per 100 ms tick), then waits for
 * delivery to finish or `drainMs`. Latency: receipt at a client minus the time the change was
 * due to be sent (its tick), so a change that reaches clients before the ingest response, or a
 * sender that falls behind, is counted honestly, for both systems alike.
 */
export async function offer(
  system: System,
  clients: number,
  rate: number,
  seconds: number,
  make: (k: number) => BenchItem,
  receipts: { reset: (total: number) => void; received: () => number; times: () => Float64Array },
  drainMs = 5000,
): Promise<Stats> {
  // Feeds push batches: at most 10 requests a second, so ingest cost per request does not
  // swamp what is measured here (delivery after the ingest response).
  const ticks = Math.min(rate, 10)
  const perTick = rate / ticks
  const total = rate * seconds
  receipts.reset(total)
  const due = new Float64Array(total)
  const started = performance.now()
  const posts: Promise<void>[] = []
  for (let tick = 0, k = 0; k < total; tick++) {
    const at = started + (tick * 1000) / ticks
    const wait = at - performance.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    const items: BenchItem[] = []
    const first = k
    for (let i = 0; i < perTick && k < total; i++) items.push(make(k++))
    for (let j = first; j < first + items.length; j++) due[j] = at
    posts.push(system.post(items))
  }
  await Promise.all(posts)
  const expected = total * clients
  const deadline = performance.now() + drainMs
  while (receipts.received() < expected && performance.now() < deadline)
    await new Promise((r) => setTimeout(r, 20))
  const times = receipts.times()
  const latencies: number[] = []
  let last = started
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!
    if (!(t > 0)) continue
    const k = i % total
    latencies.push(t - due[k]!)
    if (t > last) last = t
  }
  latencies.sort((a, b) => a - b)
  const pct = (p: number) =>
    latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]! : NaN
  return {
    p50: round(pct(0.5)),
    p95: round(pct(0.95)),
    p99: round(pct(0.99)),
    max: round(latencies.at(-1) ?? Number.NaN),
    delivered: latencies.length,
    expected,
    deliveredPerSec: Math.round(latencies.length / ((last - started) / 1000)),
  }
}

const round = (x: number) => Math.round(x * 10) / 10

/** A ticket in wire shape for run `run`, closed so snapshots stay small whatever the bench ingested. */
export function benchItem(run: number, k: number): BenchItem {
  const now = new Date().toISOString()
  return {
    source: 'bench',
    ref: `r${run}-${k}`,
    updatedAt: now,
    category: 'waste',
    title: `Rác tồn đọng trên đường ${k}`,
    location: { lat: 10.93, lng: 108.1 },
    status: 'resolved',
    receivedAt: now,
    resolvedAt: now,
    channel: 'app',
  }
}

/** The bench sequence number of a ref of run `run`, or -1 for another run's. */
export const benchK = (run: number, ref: string) =>
  ref.startsWith(`r${run}-`) ? Number(ref.slice(ref.indexOf('-') + 1)) : -1

export async function postJson(url: string, items: unknown[], token?: string, attempt = 1): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(items),
  }).catch((error: Error) => {
    // A kept-alive connection the server closed as it was reused: send again on a new one.
    if (attempt < 3) return null
    throw error
  })
  if (!res) return postJson(url, items, token, attempt + 1)
  if (!res.ok) throw new Error(`POST ${url}: ${res.status} ${await res.text()}`)
  await res.arrayBuffer()
}

/**
 * When each client first received each change of the current offer (`offer` reads it), with the
 * duplicates counted apart; `quiet` waits until frames have stopped for 1 s (a saturated run
 * leaves a backlog the next one must not meet).
 */
export class Receipts {
  private total = 1
  private count = 0
  private at = new Float64Array(0)
  private lastReceipt = 0
  duplicates = 0

  constructor(private readonly maxClients: number) {}

  reset(total: number): void {
    this.total = total
    this.count = 0
    this.at = new Float64Array(total * this.maxClients)
  }
  received(): number {
    return this.count
  }
  times(): Float64Array {
    return this.at
  }
  /** Client `client` received the change numbered `k` (-1: not of this offer). */
  onChange(client: number, k: number): void {
    this.lastReceipt = performance.now()
    if (k < 0 || k >= this.total) return
    const i = client * this.total + k
    if (this.at[i]! > 0) this.duplicates++
    else {
      this.at[i] = performance.now()
      this.count++
    }
  }
  async quiet(): Promise<void> {
    const until = performance.now() + 30_000
    while (performance.now() - this.lastReceipt < 1000 && performance.now() < until)
      await new Promise((r) => setTimeout(r, 100))
  }
}

/** The feed and display keys the live benches give their citydeck servers (`API_TOKENS`). */
export const benchKeys = { feed: 'bench-live-feed-key', display: 'bench-display-key' } as const
export const benchTokens = `feed:bench=${benchKeys.feed},display=${benchKeys.display}`

/** The bare socket.io server (live-bare.ts) at `url`: one `change` message per item. */
export const bareSystem = (url: string, kOf: (ref: string) => number): System<'bare'> => ({
  name: 'bare',
  urls: [url],
  path: '/',
  subscribes: false,
  post: (items) => postJson(`${url}/publish`, items),
  listen: (socket, on) => socket.on('change', (i: BenchItem) => on(kOf(i.ref))),
})

/** citydeck's live stream on the processes at `urls`, fed through the first one's ticket feed. */
export const citydeckSystem = <Name extends string>(
  name: Name,
  urls: string[],
  kOf: (ref: string) => number,
): System<Name> => ({
  name,
  urls,
  path: '/live',
  subscribes: true,
  auth: { token: benchKeys.display },
  post: (items) => postJson(`${urls[0]}/api/v1/feeds/tickets`, items, benchKeys.feed),
  listen: (socket, on) =>
    socket.on('changes', (frame: Change[]) => {
      for (const c of frame) on(kOf(c.id.slice('bench:'.length)))
    }),
})
