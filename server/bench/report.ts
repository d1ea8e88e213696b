import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Writes the figures table of docs/performance.md from the benchmarks' result files, so the
 * numbers in the docs are always the last committed run's and never retyped by hand. Run by
 * `npm run bench` after the benchmarks, or alone: `npm run bench -- report`.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const docPath = path.join(repoRoot, 'docs/performance.md')
const begin = '<!-- bench:begin (written by server/bench/report.ts) -->'
const end = '<!-- bench:end -->'

type Row = { bench: string; measure: string; figure: string; aim: string; when: string }
type Json = Record<string, unknown>

const at = (r: Json) => String(r.at ?? r.when ?? '').slice(0, 10)
const ms = (n: unknown) => (typeof n === 'number' ? `${n} ms` : '–')
const verdict = (met: boolean | undefined) => (met === undefined ? '' : met ? ' (met)' : ' (not met)')

function ingestRows(r: Json): Row[] {
  const batch = r.batchNdjson as Json
  const paced = r.singlePaced as Json
  const flat = r.singleFlatOut as Json
  const copy = r.copyCeiling as Json
  const when = at(r)
  const ratio = Number(r.batchToCopyRatio)
  return [
    {
      bench: 'ingest',
      measure: `NDJSON batches of ${batch.batchSize}, ${batch.items} items`,
      figure: `${batch.itemsPerSecond} items/s = ${(100 * ratio).toFixed(1)} % of COPY (${copy.rowsPerSecond} rows/s)`,
      aim: `≥ 15 % of COPY${verdict(ratio >= 0.15)}`,
      when,
    },
    ...csvRows(r),
    {
      bench: 'ingest',
      measure: `1 item/request at ${paced.ratePerSecond}/s`,
      figure: `p50 ${ms(paced.p50Ms)}, p99 ${ms(paced.p99Ms)}`,
      aim: `p99 < 20 ms${verdict(Number(paced.p99Ms) < 20)}`,
      when,
    },
    {
      bench: 'ingest',
      measure: `1 item/request, ${flat.concurrency} in flight`,
      figure: `${flat.itemsPerSecond} items/s, p99 ${ms(flat.p99Ms)}`,
      aim: '',
      when,
    },
  ]
}

/** The CSV backfill beside the NDJSON batches of the same run (absent from runs before it was measured). */
function csvRows(r: Json): Row[] {
  const csv = r.csvImport as Json | undefined
  if (!csv) return []
  const ratio = Number(r.csvToBatchRatio)
  return [
    {
      bench: 'ingest',
      measure: `CSV import as Excel writes it (\`;\`, dd/mm/yyyy, decimal commas), ${csv.rows} rows`,
      figure: `${csv.rowsPerSecond} rows/s = ${ratio}× the NDJSON batches`,
      aim: `≥ 0.8× NDJSON batches${verdict(ratio >= 0.8)}`,
      when: at(r),
    },
  ]
}

function kpiRows(r: Json): Row[] {
  const sizes = r.sizes as Json
  const aim = r.aim as Json
  const cases = (r.cases as { window: string; scope: string; api: Json }[]) ?? []
  const scorecard = (r.scorecard as { window: string; units: number; api: Json }[]) ?? []
  const dossiers = Number(sizes.dossiers).toLocaleString('en')
  return [
    ...cases.map((c) => ({
      bench: 'kpi',
      measure: `${c.window}, ${c.scope} (${dossiers} dossiers)`,
      figure: `p50 ${ms(c.api.p50)}, p95 ${ms(c.api.p95)}`,
      aim: `p95 < ${aim.p95UnderMs} ms${verdict(Number(c.api.p95) < Number(aim.p95UnderMs))}`,
      when: at(r),
    })),
    ...scorecard.map((c) => ({
      bench: 'kpi',
      measure: `unit scorecard, ${c.window}, ${c.units} units (${dossiers} dossiers)`,
      figure: `p50 ${ms(c.api.p50)}, p95 ${ms(c.api.p95)}`,
      aim: `p95 < ${aim.scorecardP95UnderMs} ms${verdict(Number(c.api.p95) < Number(aim.scorecardP95UnderMs))}`,
      when: at(r),
    })),
  ]
}

function liveRows(r: Json): Row[] {
  type LiveRow = {
    clients: number
    rate: number
    citydeck: Json
    bare: Json
    deliveredRatio: number
    loadavg1?: number
  }
  const rows = (r.rows as LiveRow[]) ?? []
  // Issue #21: at or below the bare broadcast's p99 everywhere, and under 100 ms up to 100
  // changes/s and at 500 clients × 1,000/s.
  const under100 = (row: LiveRow) => row.rate <= 100 || (row.clients === 500 && row.rate === 1000)
  return rows.map((row) => {
    const p99 = Number(row.citydeck.p99)
    const aims = [`p99 ≤ bare's${verdict(p99 <= Number(row.bare.p99))}`]
    if (under100(row)) aims.push(`< 100 ms${verdict(p99 < 100)}`)
    const load = row.loadavg1 === undefined ? '' : `, load average ${row.loadavg1}`
    return {
      bench: 'live',
      measure: `${row.clients} clients at ${row.rate} changes/s (${r.seconds} s)`,
      figure: `p99 ${ms(row.citydeck.p99)} (bare socket.io ${ms(row.bare.p99)}), deliveries ${row.deliveredRatio}× bare${load}`,
      aim: aims.join('; '),
      when: at(r),
    }
  })
}

/** One citydeck process against two behind the adapter, at the same clients (live-processes.bench.ts). */
function liveProcessRows(r: Json): Row[] {
  type ProcessRow = {
    clients: number
    rate: number
    bare: Json
    oneProcess: Json
    twoProcesses: Json
    loadavg1: number
  }
  return ((r.rows as ProcessRow[]) ?? []).map((row) => {
    const two = Number(row.twoProcesses.p99)
    return {
      bench: 'live',
      measure: `${row.clients} clients at ${row.rate} changes/s, two processes behind the ${r.adapter} adapter (${r.seconds} s)`,
      figure: `p99 ${ms(two)} (one process ${ms(row.oneProcess.p99)}, bare socket.io ${ms(row.bare.p99)}), load average ${row.loadavg1}`,
      aim: `p99 ≤ bare's${verdict(two <= Number(row.bare.p99))}`,
      when: at(r),
    }
  })
}

function wallRows(r: Json): Row[] {
  const aims = r.aims as Json
  const draw = r.firstFullDrawMs as Json
  const route = (r.wallRoute as Record<string, Json>).allScenes as Json
  const soak = r.soak as (Json & { growthPercent: Json }) | null
  const when = at(r)
  const rows: Row[] = [
    {
      bench: 'wall',
      measure: 'first full draw of the overview (median of cold loads)',
      figure: ms(draw.median),
      aim: `< ${aims.firstFullDrawMs} ms${verdict(Number(draw.median) < Number(aims.firstFullDrawMs))}`,
      when,
    },
    {
      bench: 'wall',
      measure: 'JavaScript of every scene, gzip',
      figure: `${route.jsGzipKB} KB`,
      aim: `≤ ${aims.wallRouteJsGzipKB} KB${verdict(Number(route.jsGzipKB) <= Number(aims.wallRouteJsGzipKB))}`,
      when,
    },
  ]
  // A run with WALL_SOAK_MINUTES=0 has no soak (the demo city's soak is wall-soak.json).
  if (soak)
    rows.push({
      bench: 'wall',
      measure: `heap growth, minute ${soak.baseMinute} to ${soak.minutes} of the soak at ${soak.ticketsPerSecond} tickets/s`,
      figure: `${soak.growthPercent.heap} % (page objects ${soak.growthPercent.heapObjects} %)`,
      aim: `< ${aims.heapGrowthPercent} %${verdict(Number(soak.growthPercent.heap) < Number(aims.heapGrowthPercent))}`,
      when,
    })
  return rows
}

/**
 * The wall over a big open backlog (WALL_BACKLOG_ONLY=1), beside the same wall at the demo's
 * size cold-loaded in the same run (the machine is shared: only figures of one run compare).
 */
function wallBacklogRows(r: Json): Row[] {
  const aims = r.aims as Json
  const baseline = r.baseline as
    | (Json & { firstFullDrawMs: Json; wallRoute: { allScenes: Json } })
    | undefined
  // Runs before the baseline was measured beside it are not shown: their figure compares to nothing.
  if (!baseline) return []
  const backlog = r.backlog as Json & { firstFullDrawMs: Json }
  const draw = Number(backlog.firstFullDrawMs.median)
  const kb = Math.round(Number(backlog.snapshotBytes) / 1024)
  const js = Number(baseline.wallRoute.allScenes.jsGzipKB)
  const when = at(r)
  const open = Number(backlog.openTickets).toLocaleString('en')
  return [
    {
      bench: 'wall',
      measure: `first full draw with ${open} open tickets (median of cold loads)`,
      figure: `${ms(draw)} (demo size, same run: ${ms(baseline.firstFullDrawMs.median)})`,
      aim: `< ${aims.backlogFirstFullDrawMs} ms${verdict(draw < Number(aims.backlogFirstFullDrawMs))}`,
      when,
    },
    {
      bench: 'wall',
      measure: `snapshot with ${open} open tickets`,
      figure: `${kb} KB, ${backlog.snapshotTickets} tickets`,
      aim: `≤ ${aims.backlogSnapshotKB} KB${verdict(kb <= Number(aims.backlogSnapshotKB))}`,
      when,
    },
    {
      bench: 'wall',
      measure: 'JavaScript of every scene, gzip (backlog run)',
      figure: `${js} KB`,
      aim: `≤ ${aims.wallRouteJsGzipKB} KB${verdict(js <= Number(aims.wallRouteJsGzipKB))}`,
      when,
    },
  ]
}

/** The wall soaked on the demo city at a multiple of its pace (WALL_SOAK_DEMO_RATE). */
function wallSoakRows(r: Json): Row[] {
  const soak = r.soak as Json & { growthPercent: Json; windowGrowthPercent: Json }
  // Heap, nodes and listeners over windows of samples (soak-growth.ts); page objects from the
  // heap snapshots at minute 5 and at the end.
  const window = soak.windowGrowthPercent
  const growth = {
    heap: window.heapMB,
    heapObjects: soak.growthPercent.heapObjects,
    nodes: window.nodes,
    listeners: window.listeners,
  }
  const aims = r.aims as Json
  const aim = Number(aims.heapGrowthPercent)
  const flat = Number(aims.heapObjectsGrowthPercent)
  // The aim: page objects flat (within `flat` %) and the whole heap under `aim`. DOM nodes
  // are shown, not judged: a scene's nodes follow its content (more units on a list, longer names).
  const within =
    growth.heap !== null &&
    Number(growth.heap) < aim &&
    growth.heapObjects !== null &&
    Math.abs(Number(growth.heapObjects)) <= flat
  return [
    {
      bench: 'wall',
      measure: `soak: the demo city at ${soak.demoRate}× its pace, ${soak.minutes} min (commit ${r.commit}); ten samples from minute 5 against the last ten`,
      figure: `heap ${growth.heap} %, page objects ${growth.heapObjects} %, DOM nodes ${growth.nodes} %, listeners ${growth.listeners} %`,
      aim: `page objects within ${flat} %, heap < ${aim} %${verdict(within)}`,
      when: at(r),
    },
  ]
}

/** The fault suite at full size (`npm run faults`): the figures each case's aim is about. */
function faultRows(r: Json): Row[] {
  const rows: Row[] = []
  const suite = r.suite as Json | undefined
  const cases = (suite?.cases ?? {}) as Record<string, Json>
  const pick: Record<string, (c: Json) => string> = {
    killDuringIngest: (c) =>
      `${c.acknowledgedItems} acknowledged, ${c.lost} lost, ${c.partialBatches} partial batches`,
    databaseOutage: (c) =>
      `${c.downSeconds} s down: slowest 503 ${ms(c.slowest503Ms)}, health ${ms(c.slowestHealthMs)}, ingest back ${c.ingestRecoveredSeconds} s, live ${c.liveRecoveredSeconds} s, ${(c.delivery as Json).gaps} gaps`,
    embeddedPostgresDies: (c) => `restarted ${c.restarted}, back in ${c.recoveredSeconds} s, ${c.lost} lost`,
    shutdownUnderLoad: (c) =>
      `exit ${c.exitCode} after ${c.exitSeconds} s (grace ${c.graceSeconds} s), ${c.lost} lost`,
    npmStartSigtermToNpm: (c) =>
      `${(c.leftRunning as unknown[]).length} of ${c.processesBefore} left running`,
    npmStartSigtermToPrinted: (c) =>
      `${(c.leftRunning as unknown[]).length} of ${c.processesBefore} left running`,
    reconnectsWithSince: (c) => {
      const d = c.delivery as Json
      return `${c.reconnects} reconnects: ${d.gaps} gaps, ${d.duplicates} duplicates, ${d.outOfOrder} out of order`
    },
    stalledClient: (c) =>
      `${c.ingestedMb} MB ingested, heap held ${c.heapHeldMb} MB (from ${c.heapBeforeMb}), ${c.resyncs} resync`,
  }
  for (const [name, c] of Object.entries(cases)) {
    const figure = pick[name]
    if (figure)
      rows.push({ bench: 'faults', measure: name, figure: figure(c), aim: String(c.aim), when: at(suite!) })
  }
  const soak = r.soak as Json | undefined
  if (soak)
    rows.push({
      bench: 'faults',
      measure: `soak: ${soak.clients} clients, ${soak.perSecond} changes/s, ${soak.minutes} min`,
      figure: `heap ${soak.heapGrowthPercent} %, RSS ${soak.rssGrowthPercent} % from minute ${soak.fromMinute}; ${(soak.delivery as Json).gaps} gaps`,
      aim: `< 10 %${verdict(Number(soak.heapGrowthPercent) < 10 && Number(soak.rssGrowthPercent) < 10)}`,
      when: at(soak),
    })
  return rows
}

function briefingRows(r: Json): Row[] {
  const aim = Number(r.aimMs)
  const load = (r.loadAverage as number[] | undefined)?.[0]
  const under = load === undefined ? '' : ` (load average ${load})`
  const row = (measure: string, part: Json): Row => ({
    bench: 'briefing',
    measure,
    figure: `median ${ms(part.medianMs)} of ${(part.runsMs as number[]).join(', ')} ms${under}`,
    aim: `< ${aim} ms${verdict(Number(part.medianMs) < aim)}`,
    when: at(r),
  })
  return [
    row('daily briefing, no browser running (freeze, print, write)', r.briefingCold as Json),
    row(`snapshot PDF, cold browser (${r.tickets} tickets)`, r.cold as Json),
    row(`snapshot PDF, warm browser (${r.tickets} tickets)`, r.warm as Json),
  ]
}

function startupRows(r: Json): Row[] {
  const first = r.first as Json
  const later = (r.later as Json[]).map((s) => s.seconds)
  const when = at(r)
  return [
    {
      bench: 'startup',
      measure: `first \`npm start\` of a fresh clone to its URLs (client build, server bundle, new cluster, demo; after npm ci, load ${(r.loadAverage as number[])[0]})`,
      figure: `${first.seconds} s`,
      aim: `< 30 s${verdict(Number(first.seconds) < 30)}`,
      when,
    },
    {
      bench: 'startup',
      measure: `later starts of the same clone, ${later.length} runs`,
      figure: `${later.join(', ')} s`,
      aim: `< 5 s${verdict(Number(r.laterMaxSeconds) < 5)}`,
      when,
    },
  ]
}

/** One summariser per result file; a file without one is listed by name so it is not missed. */
const summarisers: Record<string, (r: Json) => Row[]> = {
  'server/bench/results/ingest.json': ingestRows,
  'server/bench/results/kpi.json': kpiRows,
  'server/bench/results/live.json': liveRows,
  'server/bench/results/live-processes.json': liveProcessRows,
  'client/bench/results/wall.json': wallRows,
  'client/bench/results/wall-backlog.json': wallBacklogRows,
  'client/bench/results/wall-soak.json': wallSoakRows,
  'server/bench/results/faults.json': faultRows,
  'server/bench/results/briefing.json': briefingRows,
  'server/bench/results/startup.json': startupRows,
}

export async function run(): Promise<void> {
  const rows: Row[] = []
  for (const [file, summarise] of Object.entries(summarisers)) {
    const text = await readFile(path.join(repoRoot, file), 'utf8').catch(() => undefined)
    if (text === undefined) continue
    rows.push(...summarise(JSON.parse(text) as Json))
  }
  const table = [
    '| bench | what | last figure | aim | run |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.bench} | ${r.measure} | ${r.figure} | ${r.aim} | ${r.when} |`),
  ].join('\n')
  const doc = await readFile(docPath, 'utf8')
  const from = doc.indexOf(begin)
  const to = doc.indexOf(end)
  if (from < 0 || to < from) throw new Error(`${docPath} lacks the ${begin} … ${end} markers`)
  await writeFile(docPath, `${doc.slice(0, from + begin.length)}\n${table}\n${doc.slice(to)}`)
  process.stdout.write(`docs/performance.md: ${rows.length} figures\n`)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run()
