import { type ChildProcess, spawn } from 'node:child_process'
import { io, type Socket } from 'socket.io-client'

/** One system under test: where clients connect, how they subscribe, where changes are posted. */
export type System = {
  name: 'citydeck' | 'bare'
  url: string
  /** Namespace path the clients connect to. */
  path: string
  auth?: Record<string, string>
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
        const socket = io(`${system.url}${system.path}`, {
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
        if (system.name === 'citydeck') await socket.timeout(60_000).emitWithAck('subscribe', { scope: {} })
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
