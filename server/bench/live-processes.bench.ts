import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import type { Socket } from 'socket.io-client'
import { repoRoot } from '../src/config'
import { freePort } from '../src/free-port'
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
 * What a second server process buys (issue #21): `BENCH_PROCESS_CLIENTS` (2,000) socket.io
 * clients on one citydeck process, then the same clients split half and half over two
 * processes behind the adapter (each reads the change log itself; the feed posts to the first),
 * beside a bare socket.io server broadcasting to all of them, at `BENCH_PROCESS_RATES` (10,
 * 100) changes/s for `BENCH_SECONDS` (3). Latency is measured as in live.bench.ts. Writes
 * server/bench/results/live-processes.json.
 */
const listOf = (value: string | undefined) => value?.split(',').map(Number)
const clients = Number(process.env.BENCH_PROCESS_CLIENTS ?? 2000)
const rates = listOf(process.env.BENCH_PROCESS_RATES) ?? [10, 100]
const seconds = Number(process.env.BENCH_SECONDS ?? 3)

/** The embedded cluster's fixed credentials (server/src/db/embedded.ts) and the server's database. */
const embeddedUrl = (port: number) => `postgres://postgres:citydeck-local@127.0.0.1:${port}/citydeck`

let runNo = 0
const item = (k: number) => benchItem(runNo, k)
const kOf = (ref: string) => benchK(runNo, ref)

type Name = 'bare' | 'oneProcess' | 'twoProcesses'

export async function run(): Promise<void> {
  const dataDirs = [
    await mkdtemp(path.join(tmpdir(), 'citydeck-bench-a-')),
    await mkdtemp(path.join(tmpdir(), 'citydeck-bench-b-')),
  ]
  const external = process.env.BENCH_DATABASE_URL
  const port = await freePort()
  const env = {
    ...process.env,
    PORT: '0',
    DEMO: '0',
    LOG_LEVEL: 'warn',
    INGEST_RATE_LIMIT: '10000000',
    LIVE_MAX_SOCKETS_PER_CREDENTIAL: '100000',
    API_TOKENS: benchTokens,
  }
  const main = path.join(repoRoot, 'server/src/main.ts')
  const pattern = /citydeck:\s+(http:\/\/\S+)/
  // The first process brings up the database (embedded, unless BENCH_DATABASE_URL); the second joins it.
  const first = startChild(
    [main],
    { ...env, DATA_DIR: dataDirs[0], DATABASE_URL: external ?? '', EMBEDDED_PG_PORT: String(port) },
    pattern,
  )
  const bareProc = startChild([path.join(repoRoot, 'server/bench/live-bare.ts')], env, /bare: (http:\/\/\S+)/)
  const firstUrl = await first.url
  const second = startChild(
    [main],
    { ...env, DATA_DIR: dataDirs[1], DATABASE_URL: external ?? embeddedUrl(port) },
    pattern,
  )
  const cleanup = async () => {
    // The first process last: it owns the embedded cluster the second one uses.
    await Promise.all([stopChild(second.child), stopChild(bareProc.child)])
    await stopChild(first.child)
    await Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true })))
  }
  const interrupted = () => void cleanup().finally(() => process.exit(130))
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted)
  const [secondUrl, bareUrl] = await Promise.all([second.url, bareProc.url])

  const systems: System<Name>[] = [
    bareSystem(bareUrl, kOf),
    citydeckSystem('oneProcess', [firstUrl], kOf),
    citydeckSystem('twoProcesses', [firstUrl, secondUrl], kOf),
  ]
  const sockets: Record<Name, Socket[]> = { bare: [], oneProcess: [], twoProcesses: [] }
  // Both citydeck systems watch the same server: only the one measured may be connected.
  const park = (name: Name) => {
    for (const socket of sockets[name]) {
      socket.removeAllListeners()
      socket.disconnect()
    }
    sockets[name] = []
  }
  const receipts = new Receipts(clients)
  const rows: Array<{ clients: number; rate: number; loadavg1: number } & Record<Name, Stats>> = []
  const out = path.join(repoRoot, 'server/bench/results/live-processes.json')
  try {
    for (const rate of rates) {
      const result: Partial<Record<Name, Stats>> = {}
      for (const s of systems) {
        if (s.name === 'oneProcess') park('twoProcesses')
        if (s.name === 'twoProcesses') park('oneProcess')
        runNo++
        await ensureClients(s, sockets[s.name], clients, (client, k) => receipts.onChange(client, k))
        result[s.name] = await offer(s, clients, rate, seconds, item, receipts)
        await receipts.quiet()
      }
      const row = {
        clients,
        rate,
        bare: result.bare!,
        oneProcess: result.oneProcess!,
        twoProcesses: result.twoProcesses!,
        loadavg1: Math.round(loadavg()[0]! * 100) / 100,
      }
      rows.push(row)
      process.stdout.write(
        `N=${clients} rate=${rate}/s | p99: two processes ${row.twoProcesses.p99} ms, one ${row.oneProcess.p99} ms, bare ${row.bare.p99} ms | delivered/s ${row.twoProcesses.deliveredPerSec}, ${row.oneProcess.deliveredPerSec}, ${row.bare.deliveredPerSec}\n`,
      )
      await mkdir(path.dirname(out), { recursive: true })
      await writeFile(
        out,
        `${JSON.stringify(
          {
            when: new Date().toISOString(),
            seconds,
            adapter: process.env.REDIS_URL ? 'redis' : 'postgres',
            duplicates: receipts.duplicates,
            machine: { node: process.version, cpus: cpus().length },
            rows,
          },
          null,
          2,
        )}\n`,
      )
    }
  } finally {
    for (const list of Object.values(sockets)) for (const s of list) s.disconnect()
    process.off('SIGINT', interrupted).off('SIGTERM', interrupted)
    await cleanup()
  }
  process.stdout.write(`wrote ${path.relative(repoRoot, out)}\n`)
}
