import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { loadCity } from '../src/city/profile'
import { loadConfig, repoRoot } from '../src/config'
import { createPool, type Sql } from '../src/db/connection'
import { startEmbeddedPostgres } from '../src/db/embedded'
import { migrate } from '../src/db/migrate'
import { foldAll } from '../src/kpi/fold'
import { startServer } from '../src/server'
import { referenceKpis } from '../test/kpi/reference'
import { loadBenchData } from './kpi-data'

/**
 * KPI endpoint latency at issue size (10M dossiers, 2M tickets, 2M answers, 200k tasks over five
 * years), against the straightforward raw SQL of the randomized test in the same run, and the
 * unit scorecard (docs/design.md §10: every unit, the window and the one before, one statement).
 * `BENCH_SCALE` (default 1) scales the row counts; `BENCH_DATABASE_URL` or `DATABASE_URL`
 * names a server to create a scratch database on, else an embedded PostgreSQL is started.
 * `BENCH_ITERATIONS` (30) and `BENCH_RAW_ITERATIONS` (5) set the samples per case.
 * `BENCH_KEEP_DATA=1` keeps the loaded database (`citydeck_kpi_bench_<scale>`, in the embedded
 * cluster under `BENCH_DATA_DIR`, default `<tmp>/citydeck-kpi-bench`) and reuses it when it
 * holds the same sizes, reporting the load and rebuild times recorded when it was loaded.
 */
const scale = Number(process.env.BENCH_SCALE ?? 1)
const iterations = Number(process.env.BENCH_ITERATIONS ?? 30)
const rawIterations = Number(process.env.BENCH_RAW_ITERATIONS ?? 5)
const sizes = {
  dossiers: Math.round(10_000_000 * scale),
  tickets: Math.round(2_000_000 * scale),
  surveys: Math.round(2_000_000 * scale),
  tasks: Math.round(200_000 * scale),
}
const end = new Date('2026-11-28T00:00:00+07:00')
const displayToken = 'bench-display-token'
const keep = process.env.BENCH_KEEP_DATA === '1'

const windows = [
  { name: '1 day', from: shift(end, { days: -1 }) },
  { name: '1 month', from: shift(end, { months: -1 }) },
  { name: '1 year', from: shift(end, { years: -1 }) },
  { name: '5 years', from: shift(end, { years: -5 }) },
]
const scopes = [{ name: 'city' }, { name: 'ward 22930', ward: '22930' }]
/** Scorecard windows (issue #17: 1 day, 1 month, 1 year; aim p95 < 100 ms at full size). */
const scorecardWindows = windows.filter((w) => w.name !== '5 years')

function shift(t: Date, by: { days?: number; months?: number; years?: number }): Date {
  const d = new Date(t)
  d.setUTCFullYear(
    d.getUTCFullYear() + (by.years ?? 0),
    d.getUTCMonth() + (by.months ?? 0),
    d.getUTCDate() + (by.days ?? 0),
  )
  return d
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

async function time(n: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  const samples: number[] = []
  for (let i = 0; i < n; i++) {
    const t0 = performance.now()
    await fn()
    samples.push(performance.now() - t0)
  }
  const round = (x: number) => Math.round(x * 100) / 100
  return { p50: round(percentile(samples, 50)), p95: round(percentile(samples, 95)) }
}

async function scratchDatabase() {
  const base = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL
  let cleanup = async () => {}
  let baseUrl = base
  if (!baseUrl) {
    const dataDir = keep
      ? (process.env.BENCH_DATA_DIR ?? path.join(tmpdir(), 'citydeck-kpi-bench'))
      : await mkdtemp(path.join(tmpdir(), 'citydeck-kpi-bench-'))
    const cluster = await startEmbeddedPostgres({ dataDir })
    baseUrl = cluster.url('postgres')
    cleanup = async () => {
      await cluster.stop()
      if (!keep) await rm(dataDir, { recursive: true, force: true })
    }
  }
  const name = keep
    ? `citydeck_kpi_bench_${String(scale).replace('.', '_')}`
    : `citydeck_kpi_bench_${randomBytes(4).toString('hex')}`
  const admin = createPool(baseUrl, { max: 1 })
  const [exists] = await admin`select 1 from pg_database where datname = ${name}`
  if (!exists) await admin`create database ${admin(name)}`
  const url = new URL(baseUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    kind: base ? 'external' : 'embedded',
    drop: async () => {
      if (!keep) await admin`drop database if exists ${admin(name)} with (force)`
      await admin.end()
      await cleanup()
    },
  }
}

/**
 * What KPI maintenance adds to ingest (kpi/sql/triggers.sql): 10,000 new tickets in one
 * INSERT with the KPI triggers (they append pending events) and without them, and the fold
 * of those events into the rollups. Medians of 3; the rows are deleted again.
 */
async function ingestCost(sql: Sql) {
  const insert = (ref: string) => sql`
    insert into tickets (source, ref, updated_at, category, title, lat, lng, status, unit, ward_code,
                         received_at, due_at, resolved_at, content_hash)
    select 'bench-ingest', ${ref} || i, ${end}, 'waste', 'bench', 10.93, 108.1,
           case when i % 3 = 0 then 'received' else 'resolved' end, 'ub-22930', '22930',
           ${end}::timestamptz - i * interval '1 minute', ${end}::timestamptz - i * interval '1 minute' + interval '8 hours',
           case when i % 3 <> 0 then ${end}::timestamptz - i * interval '1 minute' + (i % 20) * interval '1 hour' end, 'h'
    from generate_series(1, 10000) i`
  const ms = async (fn: () => Promise<unknown>) => {
    const t0 = performance.now()
    await fn()
    return performance.now() - t0
  }
  const median = (xs: number[]) => Math.round([...xs].sort((a, b) => a - b)[1]!)
  const withKpi: number[] = []
  const without: number[] = []
  const fold: number[] = []
  await foldAll(sql)
  for (let i = 0; i < 3; i++) {
    withKpi.push(await ms(() => insert(`k${i}-`)))
    fold.push(await ms(() => foldAll(sql)))
    await sql`alter table tickets disable trigger user`
    try {
      without.push(await ms(() => insert(`n${i}-`)))
      await sql`delete from tickets where source = 'bench-ingest' and ref like 'n%'`
    } finally {
      await sql`alter table tickets enable trigger user`
    }
    await sql`delete from tickets where source = 'bench-ingest'`
    await foldAll(sql)
  }
  return { insertMs: median(withKpi), insertWithoutKpiMs: median(without), foldMs: median(fold) }
}

export async function run(): Promise<void> {
  const db = await scratchDatabase()
  const sql = createPool(db.url, { max: 4 })
  try {
    await migrate(sql)
    const city = loadCity({ CITY_PROFILE: 'phan-thiet' })
    const log = (m: string) => process.stdout.write(`${m}\n`)
    await sql`create table if not exists kpi_bench_meta (sizes jsonb not null, load_seconds float8 not null,
      rebuild_seconds float8 not null, loaded_at timestamptz not null default now())`
    const [loaded] = await sql<[{ loadSeconds: number; rebuildSeconds: number; loadedAt: Date }?]>`
      select load_seconds as "loadSeconds", rebuild_seconds as "rebuildSeconds", loaded_at as "loadedAt"
      from kpi_bench_meta where sizes = ${sql.json(sizes)}`
    let loadSeconds: number
    let rebuildSeconds: number
    if (loaded) {
      ;({ loadSeconds, rebuildSeconds } = loaded)
      log(
        `reusing the data loaded at ${loaded.loadedAt.toISOString()} (load ${loadSeconds.toFixed(1)} s, rebuild ${rebuildSeconds.toFixed(1)} s)`,
      )
    } else {
      await sql`truncate tickets, dossiers, survey_answers, tasks, procedures, kpi_bench_meta`
      log(`loading ${JSON.stringify(sizes)} with COPY (${db.kind} PostgreSQL)…`)
      let t0 = performance.now()
      await loadBenchData(sql, city.profile, sizes, end, 5)
      loadSeconds = (performance.now() - t0) / 1000
      log(`loaded in ${loadSeconds.toFixed(1)} s; rebuilding rollups…`)
      t0 = performance.now()
      await sql`select kpi_rebuild_rollups()`
      await sql`vacuum analyze`
      rebuildSeconds = (performance.now() - t0) / 1000
      await sql`insert into kpi_bench_meta (sizes, load_seconds, rebuild_seconds)
                values (${sql.json(sizes)}, ${loadSeconds}, ${rebuildSeconds})`
    }
    const [{ rollupRows }] = await sql<[{ rollupRows: number }]>`
      select (select count(*) from kpi_ticket_rollup) + (select count(*) from kpi_ticket_resolve_hist)
           + (select count(*) from kpi_dossier_rollup) + (select count(*) from kpi_survey_rollup)
           + (select count(*) from kpi_task_rollup) as "rollupRows"`
    log(`rollups rebuilt in ${rebuildSeconds.toFixed(1)} s (${rollupRows} rows); measuring…`)

    const server = await startServer(
      loadConfig({
        PORT: '0',
        DEMO: '0',
        LOG_LEVEL: 'warn',
        DATABASE_URL: db.url,
        API_TOKENS: `display=${displayToken}`,
      }),
      { clock: () => end },
    )
    type Timing = { p50: number; p95: number }
    const cases: Array<{ window: string; scope: string; api: Timing; raw: Timing; speedupP50: number }> = []
    const scorecard: Array<{ window: string; units: number; api: Timing }> = []
    try {
      for (const scope of scopes) {
        for (const w of windows) {
          const query = new URLSearchParams({
            from: w.from.toISOString(),
            to: end.toISOString(),
            ...(scope.ward ? { ward: scope.ward } : {}),
          })
          const call = async () => {
            const res = await fetch(`${server.url}/api/v1/kpis?${query}`, {
              headers: { authorization: `Bearer ${displayToken}` },
            })
            if (!res.ok) throw new Error(`GET /api/v1/kpis: ${res.status} ${await res.text()}`)
            return res.json()
          }
          await time(3, call) // warm-up
          const api = await time(iterations, call)
          const raw = await time(rawIterations, () =>
            referenceKpis(sql, w.from, end, scope.ward ? { ward: scope.ward } : {}),
          )
          const row = {
            window: w.name,
            scope: scope.name,
            api,
            raw,
            speedupP50: Math.round((raw.p50 / api.p50) * 10) / 10,
          }
          cases.push(row)
          log(
            `${scope.name.padEnd(11)} ${w.name.padEnd(8)} api p50 ${api.p50} ms p95 ${api.p95} ms | raw SQL p50 ${raw.p50} ms p95 ${raw.p95} ms`,
          )
        }
      }
      for (const w of scorecardWindows) {
        const query = new URLSearchParams({ from: w.from.toISOString(), to: end.toISOString() })
        const call = async () => {
          const res = await fetch(`${server.url}/api/v1/units/scorecard?${query}`, {
            headers: { authorization: `Bearer ${displayToken}` },
          })
          if (!res.ok) throw new Error(`GET /api/v1/units/scorecard: ${res.status} ${await res.text()}`)
          return (await res.json()) as { units: unknown[] }
        }
        const { units } = await call()
        await time(3, call) // warm-up
        const api = await time(iterations, call)
        scorecard.push({ window: w.name, units: units.length, api })
        log(`scorecard   ${w.name.padEnd(8)} api p50 ${api.p50} ms p95 ${api.p95} ms (${units.length} units)`)
      }
    } finally {
      await server.close()
    }
    const ingest = await ingestCost(sql)
    log(
      `10,000 new tickets in one statement: ${ingest.insertMs} ms with the KPI triggers, ${ingest.insertWithoutKpiMs} ms without; folding their events: ${ingest.foldMs} ms`,
    )
    const ratio = (scope: string) => {
      const p95 = (w: string) => cases.find((c) => c.scope === scope && c.window === w)!.api.p95
      return Math.round((p95('5 years') / p95('1 day')) * 100) / 100
    }
    const ratios = Object.fromEntries(scopes.map((s) => [s.name, ratio(s.name)]))
    const maxP95 = Math.max(...cases.map((c) => c.api.p95))
    console.table(
      cases.map((c) => ({
        scope: c.scope,
        window: c.window,
        'api p50': c.api.p50,
        'api p95': c.api.p95,
        'raw p50': c.raw.p50,
        'raw p95': c.raw.p95,
        'raw/api': c.speedupP50,
      })),
    )
    log(
      `5-year p95 / 1-day p95: ${JSON.stringify(ratios)}; max API p95 ${maxP95} ms (aim < 50 ms, ratio <= 1.5)`,
    )
    console.table(
      scorecard.map((c) => ({
        window: c.window,
        units: c.units,
        'api p50': c.api.p50,
        'api p95': c.api.p95,
      })),
    )
    const scorecardMaxP95 = Math.max(...scorecard.map((c) => c.api.p95))
    log(`unit scorecard: max p95 ${scorecardMaxP95} ms (aim < 100 ms at full size)`)
    const result = {
      benchmark: 'kpi',
      at: new Date().toISOString(),
      database: db.kind,
      scale,
      sizes,
      iterations: { api: iterations, raw: rawIterations },
      loadSeconds: Math.round(loadSeconds),
      rebuildSeconds: Math.round(rebuildSeconds),
      rollupRows: Number(rollupRows),
      cases,
      scorecard,
      ingest10kTickets: ingest,
      ratio5yTo1dP95: ratios,
      aim: {
        p95UnderMs: 50,
        met: maxP95 < 50,
        ratioAtMost: 1.5,
        ratioMet: Object.values(ratios).every((r) => r <= 1.5),
        scorecardP95UnderMs: 100,
        scorecardMet: scorecardMaxP95 < 100,
      },
    }
    await writeFile(
      path.join(repoRoot, 'server/bench/results/kpi.json'),
      `${JSON.stringify(result, null, 2)}\n`,
    )
  } finally {
    await sql.end()
    await db.drop()
  }
}
