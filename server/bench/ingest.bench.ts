import { readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { repoRoot } from '../src/config'
import { importCsvPhase } from './ingest-csv'
import { feedKey, metricsKey, otherServer, percentile, startBenchServer, watchCity } from './ingest-setup'

/**
 * Ingest throughput and latency over HTTP (`npm run bench -- ingest`): 1 item per request
 * (paced at 200 requests/s, and flat out), and 10,000-item NDJSON batches, beside the
 * database's own ceiling measured in the same run: COPY of the same rows into an unindexed
 * table, and a CSV backfill of as many rows as the batches (Excel's Vietnamese shape, through
 * the import command), as a ratio to the batches' rate. Writes server/bench/results/ingest.json.
 * `BENCH_QUICK=1` runs a smaller set.
 */
const quick = process.env.BENCH_QUICK === '1'
const batchSize = 10_000
const batches = quick ? 2 : 5
const pacedRate = 200
const pacedSeconds = quick ? 3 : 10
const pacedWarmUpSeconds = 2
const flatOutRequests = quick ? 500 : 3000
const flatOutConcurrency = 16

let serial = 0
const startedAt = Date.now()
/** A live feed's ticket: reported within the last hour, so due in hours (not an overdue backlog, whose SLA alerts are another workload). */
function ticket(i: number) {
  const at = new Date(startedAt - (i % 3600) * 1000).toISOString()
  return {
    source: 'bench',
    ref: `b${serial}-${i}`,
    updatedAt: at,
    category: 'waste',
    title: `Rác tồn đọng trên đường số ${i}`,
    location: { lat: 10.9 + (i % 100) / 1000, lng: 108.05 + (i % 97) / 1000 },
    status: 'received',
    receivedAt: at,
    channel: 'app',
  }
}
const fresh = (n: number) => {
  serial++
  return Array.from({ length: n }, (_, i) => ticket(i))
}

// Keep-alive sockets, a bounded number: requests beyond them queue here, and their wait counts
// in their latency (measured from when they were due), as it would for a real sender.
const agent = new http.Agent({ keepAlive: true, maxSockets: 32 })
let failures = 0

/** POSTs one body; resolves to its latency in ms from `since`, or NaN when it failed. */
function post(url: string, body: string, type: string, since = performance.now()): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      `${url}/api/v1/feeds/tickets`,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${feedKey}`,
          'content-type': type,
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = ''
        res.on('data', (chunk) => (text += chunk))
        res.on('end', () => {
          if ((res.statusCode ?? 500) >= 300) {
            failures++
            if (failures <= 3)
              process.stderr.write(`ingest answered ${res.statusCode}: ${text.slice(0, 200)}\n`)
            resolve(Number.NaN)
          } else resolve(performance.now() - since)
        })
      },
    )
    req.on('error', (error) => {
      failures++
      if (failures <= 3) process.stderr.write(`request failed: ${error.message}\n`)
      resolve(Number.NaN)
    })
    req.end(body)
  })
}

/** CPU ms used so far by a process and its descendants (Linux /proc; 0 elsewhere). */
function treeCpuMs(root: number): number {
  const ticks = (pid: number) => {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
      return Number(fields[11]) + Number(fields[12])
    } catch {
      return 0
    }
  }
  const pids = [root]
  for (let i = 0; i < pids.length; i++) {
    try {
      const children = readFileSync(`/proc/${pids[i]}/task/${pids[i]}/children`, 'utf8').trim()
      if (children) pids.push(...children.split(/\s+/).map(Number))
    } catch {
      // gone
    }
  }
  return pids.reduce((ms, pid) => ms + ticks(pid) * 10, 0)
}

/**
 * CPU used during a phase, per request: the load generator (this process), and the server
 * with its children (the embedded PostgreSQL; an external server's is not seen).
 */
function cpuMeter(serverPid: number) {
  const client = process.cpuUsage()
  const server = treeCpuMs(serverPid)
  return (requests: number) => {
    const c = process.cpuUsage(client)
    return {
      clientMsPerRequest: +((c.user + c.system) / 1000 / requests).toFixed(2),
      serverMsPerRequest: +((treeCpuMs(serverPid) - server) / requests).toFixed(2),
    }
  }
}

/** Throughput of the requests that succeeded, and their latency percentiles. */
const summary = (latencies: number[], itemsPerRequest: number, ms: number) => {
  const sorted = latencies.filter((l) => !Number.isNaN(l)).sort((a, b) => a - b)
  const items = sorted.length * itemsPerRequest
  return {
    items,
    seconds: +(ms / 1000).toFixed(2),
    itemsPerSecond: Math.round(items / (ms / 1000)),
    p50Ms: +percentile(sorted, 50).toFixed(1),
    p99Ms: +percentile(sorted, 99).toFixed(1),
  }
}

export async function run() {
  const system = await startBenchServer()
  const wall = await watchCity(system.url)
  try {
    // The database's ceiling: COPY of the same rows into an unindexed table.
    await system.sql`create table bench_copy (like tickets including defaults)`
    let copyRows = 0
    let copyMs = 0
    for (let b = 0; b < batches; b++) {
      const lines = fresh(batchSize).map((t) =>
        [
          t.source,
          t.ref,
          t.updatedAt,
          t.category,
          t.title,
          t.location.lat,
          t.location.lng,
          '22930',
          t.status,
          t.receivedAt,
          t.receivedAt,
          t.channel,
          'x',
        ].join('\t'),
      )
      const started = performance.now()
      const writable = await system.sql`
        copy bench_copy (source, ref, updated_at, category, title, lat, lng, ward_code, status, received_at, due_at, channel, content_hash)
        from stdin`.writable()
      await pipeline(Readable.from([Buffer.from(`${lines.join('\n')}\n`)]), writable)
      copyMs += performance.now() - started
      copyRows += batchSize
    }
    const copy = {
      rows: copyRows,
      seconds: +(copyMs / 1000).toFixed(2),
      rowsPerSecond: Math.round(copyRows / (copyMs / 1000)),
    }

    // 10,000-item NDJSON batches, one after another.
    const bodies = Array.from({ length: batches }, () =>
      fresh(batchSize)
        .map((t) => JSON.stringify(t))
        .join('\n'),
    )
    await post(
      system.url,
      fresh(100)
        .map((t) => JSON.stringify(t))
        .join('\n'),
      'application/x-ndjson',
    ) // warm-up
    const loadBefore = os.loadavg()
    const batchLatencies: number[] = []
    let cpu = cpuMeter(system.pid)
    let started = performance.now()
    for (const body of bodies) batchLatencies.push(await post(system.url, body, 'application/x-ndjson'))
    const batch = {
      batchSize,
      ...summary(batchLatencies, batchSize, performance.now() - started),
      cpu: cpu(bodies.length),
    }

    // Each phase starts on a quiet server: the background KPI fold of the batches' 50,000 items
    // would otherwise land inside the next phase's latencies.
    await settled(system.sql)

    // The same number of rows as a CSV backfill in Excel's Vietnamese shape, through the import
    // command beside the running server (the wall still watching), against the batches' rate.
    // Not in an A/B run against another checkout: the command is this checkout's own.
    let csv = null
    let csvRatio = null
    if (!otherServer) {
      const csvLoadBefore = os.loadavg()[0]!
      cpu = cpuMeter(system.pid)
      const csvRun = await importCsvPhase(system.dbUrl, batches * batchSize, String(++serial))
      const csvServer = cpu(csvRun.rows)
      csv = {
        ...csvRun,
        cpuPerRowUs: {
          importer: +((csvRun.importerCpuMs * 1000) / csvRun.rows).toFixed(1),
          server: +(csvServer.serverMsPerRequest * 1000).toFixed(1),
        },
        loadAverage1m: { before: +csvLoadBefore.toFixed(2), after: +os.loadavg()[0]!.toFixed(2) },
      }
      csvRatio = +(csv.rowsPerSecond / batch.itemsPerSecond).toFixed(2)
      await settled(system.sql)
    }

    // 1 item per request, paced at 200 requests/s (open loop: a slow answer does not slow the
    // sender), after a short warm-up at the same rate that is not counted: a server that has
    // been taking single items for a while has its pool connections open and this path compiled.
    await pacedPhase(system.url, pacedWarmUpSeconds)
    const serverBefore = await serverLatencyBuckets(system.url)
    cpu = cpuMeter(system.pid)
    started = performance.now()
    const pacedLatencies = await pacedPhase(system.url, pacedSeconds)
    const single = {
      ratePerSecond: pacedRate,
      warmUpSeconds: pacedWarmUpSeconds,
      ...summary(pacedLatencies, 1, performance.now() - started),
      cpu: cpu(pacedLatencies.length),
      serverSide: bucketsSince(serverBefore, await serverLatencyBuckets(system.url)),
    }

    await settled(system.sql)

    // 1 item per request, flat out with a few requests in flight.
    const flat = fresh(flatOutRequests).map((t) => JSON.stringify(t))
    const flatLatencies: number[] = []
    let next = 0
    cpu = cpuMeter(system.pid)
    started = performance.now()
    await Promise.all(
      Array.from({ length: flatOutConcurrency }, async () => {
        while (next < flat.length)
          flatLatencies.push(await post(system.url, flat[next++]!, 'application/json'))
      }),
    )
    const singleMax = {
      concurrency: flatOutConcurrency,
      ...summary(flatLatencies, 1, performance.now() - started),
      cpu: cpu(flat.length),
    }
    const loadAfter = os.loadavg()

    const ratio = +(batch.itemsPerSecond / copy.rowsPerSecond).toFixed(3)
    // What the batch aim allows: at 25% of COPY's rate, every core busy all the time, each item
    // may cost this much CPU in all (server, PostgreSQL and this client), beside what it cost.
    const cpuPerItem = {
      budgetAt25PercentOfCopyUs: +((os.cpus().length * 1e6) / (0.25 * copy.rowsPerSecond)).toFixed(1),
      usedUs: +(((batch.cpu.serverMsPerRequest + batch.cpu.clientMsPerRequest) * 1000) / batchSize).toFixed(
        1,
      ),
    }
    const result = {
      at: new Date().toISOString(),
      server: otherServer ? { checkout: otherServer.root, commit: otherServer.commit } : 'this checkout',
      machine: {
        cpus: os.cpus().length,
        node: process.version,
        database: system.kind,
        // 1-minute load average when the HTTP phases began and ended: other work on the
        // machine (above ~0.5 per core) slows every figure here.
        loadAverage1m: { before: +loadBefore[0]!.toFixed(2), after: +loadAfter[0]!.toFixed(2) },
      },
      how: [
        'server: citydeck in a child process (its own event loop), fsync and synchronous_commit on',
        'client: this process, node:http with a keep-alive Agent (32 sockets), bodies built before timing',
        'the client shares the 2 cores with the server and PostgreSQL; its CPU per request is reported',
        'paced: open loop, one request sent every 5 ms by one loop, latency measured from when each was due, so queueing counts; 2 s at the same rate first as a warm-up, not counted',
        'cpu.serverMsPerRequest: the server process and its children (embedded PostgreSQL)',
        'a wall watches the city over the live stream throughout: every change is pushed to it and the city KPIs recomputed each second',
        'csv: as many rows as the batches, written as Excel does in the Vietnamese locale, imported by server/bin/citydeck-import.mjs in its own process beside the server; rate from its own timing (after node has started); cpuPerRowUs.server: the server process and its children (embedded PostgreSQL), which fold the KPIs and push the changes meanwhile',
      ],
      copyCeiling: copy,
      batchNdjson: batch,
      singlePaced: single,
      singleFlatOut: singleMax,
      csvImport: csv,
      batchToCopyRatio: ratio,
      csvToBatchRatio: csvRatio,
      batchCpuPerItem: cpuPerItem,
      failedRequests: failures,
      liveWall: wall.received(),
      aims: {
        batchAtLeast25PercentOfCopy: ratio >= 0.25,
        singleP99Under20msAt200PerSecond: single.p99Ms < 20,
        csvAtLeast80PercentOfBatch: csvRatio === null ? null : csvRatio >= 0.8,
      },
    }
    const out = otherServer
      ? path.join(
          repoRoot,
          `server/bench/results/ingest-ab/${otherServer.commit}-${result.at.replace(/[:.]/g, '')}.json`,
        )
      : path.join(repoRoot, 'server/bench/results/ingest.json')
    await mkdir(path.dirname(out), { recursive: true })
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`)
    process.stdout.write(
      [
        `database: ${system.kind}, ${os.cpus().length} cores, load average ${loadBefore[0]!.toFixed(1)} → ${loadAfter[0]!.toFixed(1)}`,
        `COPY ceiling            ${copy.rowsPerSecond} rows/s`,
        `NDJSON 10k batches      ${batch.itemsPerSecond} items/s  (p50 ${batch.p50Ms} ms, p99 ${batch.p99Ms} ms per batch)  = ${(ratio * 100).toFixed(1)}% of COPY`,
        csv === null
          ? `CSV import              not run (A/B against ${otherServer?.root})`
          : `CSV import (Excel, ;)   ${csv.rowsPerSecond} rows/s  = ${csvRatio}× the NDJSON batches (${csv.rows} rows; the command ran ${csv.commandWallSeconds} s with its start; CPU per row: importer ${csv.cpuPerRowUs.importer} µs, server ${csv.cpuPerRowUs.server} µs; load ${csv.loadAverage1m.before} → ${csv.loadAverage1m.after})`,
        `  CPU per batch item    ${cpuPerItem.usedUs} µs (${system.kind === 'embedded' ? 'server, PostgreSQL and client' : 'server and client; the external PostgreSQL not seen'}); 25% of COPY on ${os.cpus().length} cores allows ${cpuPerItem.budgetAt25PercentOfCopyUs} µs in all`,
        `1 item/request @${pacedRate}/s  p50 ${single.p50Ms} ms, p99 ${single.p99Ms} ms  (${single.itemsPerSecond} items/s); in the server: ${JSON.stringify(single.serverSide)}`,
        `1 item/request, ${flatOutConcurrency} in flight  ${singleMax.itemsPerSecond} items/s  (p50 ${singleMax.p50Ms} ms, p99 ${singleMax.p99Ms} ms)`,
        `CPU per request (server+PostgreSQL / client): batch ${batch.cpu.serverMsPerRequest} / ${batch.cpu.clientMsPerRequest} ms, paced ${single.cpu.serverMsPerRequest} / ${single.cpu.clientMsPerRequest} ms, flat out ${singleMax.cpu.serverMsPerRequest} / ${singleMax.cpu.clientMsPerRequest} ms`,
        `live wall (city scope) received ${result.liveWall.changes} changes, ${result.liveWall.kpiFrames} KPI frames`,
        `written to ${path.relative(repoRoot, out)}\n`,
      ].join('\n'),
    )
  } finally {
    wall.close()
    await system.stop()
  }
}

/**
 * Sends one single-item request every 1/pacedRate s for `seconds`; latencies from when each was
 * due, so a late sender or a slow answer counts (open loop). Requests are sent one after another
 * by a single loop: scheduling thousands of timers at once stalled this process for tens of ms
 * at the start, which showed up as the server's latency.
 */
async function pacedPhase(url: string, seconds: number): Promise<number[]> {
  const bodies = fresh(pacedRate * seconds).map((t) => JSON.stringify(t))
  const latencies: number[] = []
  const answers: Promise<void>[] = []
  const started = performance.now()
  for (const [i, body] of bodies.entries()) {
    const due = started + (i * 1000) / pacedRate
    const wait = due - performance.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    answers.push(post(url, body, 'application/json', due).then((ms) => void latencies.push(ms)))
  }
  await Promise.all(answers)
  return latencies
}

/**
 * The server's own histogram of ingest request durations (GET /metrics), cumulative counts by
 * upper bound in ms: from request start to response in the server, without the client's or the
 * network's share of a latency.
 */
async function serverLatencyBuckets(url: string): Promise<Map<string, number>> {
  const text = await (
    await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${metricsKey}` } })
  ).text()
  const buckets = new Map<string, number>()
  for (const m of text.matchAll(
    /citydeck_http_request_duration_seconds_bucket\{le="([^"]+)",method="POST",route="\/api\/v1\/feeds\/:feed"\} (\d+)/g,
  )) {
    buckets.set(m[1] === '+Inf' ? 'inf' : String(Number(m[1]) * 1000), Number(m[2]))
  }
  return buckets
}

/** Requests of a phase by server-side duration: `{ "≤10ms": n, … }` between two readings. */
function bucketsSince(before: Map<string, number>, after: Map<string, number>) {
  const out: Record<string, number> = {}
  for (const [le, count] of after) out[le === 'inf' ? 'all' : `≤${le}ms`] = count - (before.get(le) ?? 0)
  return out
}

/** Waits until the KPI folder has applied every pending row (at most a minute). */
async function settled(sql: Awaited<ReturnType<typeof startBenchServer>>['sql']) {
  for (let waited = 0; waited < 60_000; waited += 250) {
    const [row] = await sql<{ n: number }[]>`
      select (select count(*) from kpi_ticket_pending) + (select count(*) from kpi_dossier_pending)
        + (select count(*) from kpi_survey_pending) as n`
    if (Number(row!.n) === 0) return
    await new Promise((r) => setTimeout(r, 250))
  }
}
