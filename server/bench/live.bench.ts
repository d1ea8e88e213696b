import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import type { Socket } from 'socket.io-client'
import { repoRoot } from '../src/config'
import {
  bareSystem,
  benchItem,
  benchK,
  benchTokens,
  citydeckSystem,
  ensureClients,
  offer,
  Receipts,
  type Stats,
  type System,
  startChild,
  stopChild,
} from './live-load'

/**
 * End-to-end latency of the live stream: from the moment a change is due to be sent to receipt at each of N
 * socket.io clients, at several change rates, beside a bare socket.io server that broadcasts
 * one message per change of the same payloads. Servers run as child processes; the clients
 * and the load run here. `BENCH_DATABASE_URL` uses that (empty) database instead of an
 * embedded PostgreSQL; `BENCH_QUICK=1` runs a smaller grid, `BENCH_CLIENTS` and `BENCH_RATES`
 * (comma-separated) another one; `BENCH_SECONDS` (3) is the length of a row's offer;
 * `BENCH_NODE_ARGS` adds node flags to the citydeck server, e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof`.
 */
const quick = process.env.BENCH_QUICK === '1'
const listOf = (value: string | undefined) => value?.split(',').map(Number)
const clientCounts = listOf(process.env.BENCH_CLIENTS) ?? (quick ? [100] : [100, 500, 1000])
const rates = listOf(process.env.BENCH_RATES) ?? (quick ? [10, 100] : [10, 100, 1000])
const seconds = Number(process.env.BENCH_SECONDS ?? 3)
const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []

let runNo = 0
const item = (k: number) => benchItem(runNo, k)
const kOf = (ref: string) => benchK(runNo, ref)

export async function run(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'citydeck-bench-'))
  const env = {
    ...process.env,
    PORT: '0',
    DEMO: '0',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? '',
    INGEST_RATE_LIMIT: '10000000',
    LIVE_MAX_SOCKETS_PER_CREDENTIAL: '100000',
    API_TOKENS: benchTokens,
  }
  const citydeckProc = startChild(
    [...nodeArgs, path.join(repoRoot, 'server/src/main.ts')],
    env,
    /citydeck:\s+(http:\/\/\S+)/,
  )
  const bareProc = startChild([path.join(repoRoot, 'server/bench/live-bare.ts')], env, /bare: (http:\/\/\S+)/)
  const cleanup = async () => {
    await Promise.all([stopChild(citydeckProc.child), stopChild(bareProc.child)])
    await rm(dataDir, { recursive: true, force: true })
  }
  // An interrupted run still stops its servers and removes its embedded database.
  const interrupted = () => void cleanup().finally(() => process.exit(130))
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted)
  const [citydeckUrl, bareUrl] = await Promise.all([citydeckProc.url, bareProc.url])

  const systems: System<'bare' | 'citydeck'>[] = [
    bareSystem(bareUrl, kOf),
    citydeckSystem('citydeck', [citydeckUrl], kOf),
  ]

  const out = path.join(repoRoot, 'server/bench/results/live.json')
  // Written after every row, so a run cut short still leaves what it measured.
  const save = async () => {
    await mkdir(path.dirname(out), { recursive: true })
    const result = {
      when: new Date().toISOString(),
      seconds,
      duplicates: receipts.duplicates,
      replaced,
      machine: machine(),
      rows,
    }
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`)
  }
  const rows: Array<
    { clients: number; rate: number; deliveredRatio: number; loadavg1: number } & Record<
      'bare' | 'citydeck',
      Stats
    >
  > = []
  const sockets: Record<string, Socket[]> = { bare: [], citydeck: [] }
  /** Clients a saturated run got disconnected (ping timeout), replaced before the next run. */
  const replaced = { bare: 0, citydeck: 0 }
  const receipts = new Receipts(Math.max(...clientCounts))
  const onChange = (client: number, k: number) => receipts.onChange(client, k)
  try {
    for (const clients of clientCounts) {
      for (const rate of rates) {
        const result: Partial<Record<'bare' | 'citydeck', Stats>> = {}
        for (const s of systems) {
          runNo++
          replaced[s.name] += await ensureClients(s, sockets[s.name]!, clients, onChange)
          // Only this system's first `clients` sockets are connected to it; the other system idles.
          result[s.name] = await offer(s, clients, rate, seconds, item, receipts)
          await receipts.quiet()
        }
        const row = {
          clients,
          rate,
          bare: result.bare!,
          citydeck: result.citydeck!,
          deliveredRatio: round2(result.citydeck!.deliveredPerSec / result.bare!.deliveredPerSec),
          // Other work on the machine skews a run; the 1-minute load average shows how much.
          loadavg1: round2(loadavg()[0]!),
        }
        rows.push(row)
        print(row)
        await save()
      }
    }
  } finally {
    for (const list of Object.values(sockets)) for (const s of list) s.disconnect()
    process.off('SIGINT', interrupted).off('SIGTERM', interrupted)
    await cleanup()
  }
  process.stdout.write(
    `duplicates: ${receipts.duplicates}, clients replaced after a saturated run: ${JSON.stringify(replaced)}\nwrote ${path.relative(repoRoot, out)}\n`,
  )
}

function print(row: { clients: number; rate: number; bare: Stats; citydeck: Stats }) {
  const f = (s: Stats) =>
    `p50 ${s.p50.toString().padStart(6)} p95 ${s.p95.toString().padStart(6)} p99 ${s.p99.toString().padStart(6)} max ${s.max.toString().padStart(6)} ms ${s.deliveredPerSec.toString().padStart(7)}/s (${Math.round((100 * s.delivered) / s.expected)}%)`
  const ratio = (row.citydeck.deliveredPerSec / row.bare.deliveredPerSec).toFixed(2)
  process.stdout.write(
    `N=${String(row.clients).padStart(4)} rate=${String(row.rate).padStart(4)}/s | citydeck ${f(row.citydeck)} | bare ${f(row.bare)} | delivered ratio ${ratio}\n`,
  )
}

function machine() {
  return { node: process.version, cpus: cpus().length, model: cpus()[0]?.model }
}

const round2 = (x: number) => Math.round(x * 100) / 100
