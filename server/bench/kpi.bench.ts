import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { loadCity } from '../src/city/profile'
import { loadConfig, repoRoot } from '../src/config'
import { createPool } from '../src/db/connection'
import { startEmbeddedPostgres } from '../src/db/embedded'
import { migrate } from '../src/db/migrate'
import { startServer } from '../src/server'
import { referenceKpis } from '../test/kpi/reference'
import { loadBenchData } from './kpi-data'

/**
 * KPI endpoint latency at issue size (10M dossiers, 2M tickets, 2M answers over five years),
 * against the straightforward raw SQL of the randomized test in the same run.
 * `BENCH_SCALE` (default 1) scales the row counts; `BENCH_DATABASE_URL` or `DATABASE_URL`
 * names a server to create a scratch database on, else an embedded PostgreSQL is started.
 * `BENCH_ITERATIONS` (30) and `BENCH_RAW_ITERATIONS` (5) set the samples per case.
 */
const scale = Number(process.env.BENCH_SCALE ?? 1)
const iterations = Number(process.env.BENCH_ITERATIONS ?? 30)
const rawIterations = Number(process.env.BENCH_RAW_ITERATIONS ?? 5)
const sizes = {
  dossiers: Math.round(10_000_000 * scale),
  tickets: Math.round(2_000_000 * scale),
  surveys: Math.round(2_000_000 * scale),
}
const end = new Date('2026-11-28T00:00:00+07:00')
const displayToken = 'bench-display-token'

const windows = [
  { name: '1 day', from: shift(end, { days: -1 }) },
  { name: '1 month', from: shift(end, { months: -1 }) },
  { name: '1 year', from: shift(end, { years: -1 }) },
  { name: '5 years', from: shift(end, { years: -5 }) },
]
const scopes = [{ name: 'city' }, { name: 'ward 22930', ward: '22930' }]

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
    const dataDir = await mkdtemp(path.join(tmpdir(), 'citydeck-kpi-bench-'))
    const cluster = await startEmbeddedPostgres({ dataDir })
    baseUrl = cluster.url('postgres')
    cleanup = async () => {
      await cluster.stop()
      await rm(dataDir, { recursive: true, force: true })
    }
  }
  const name = `citydeck_kpi_bench_${randomBytes(4).toString('hex')}`
  const admin = createPool(baseUrl, { max: 1 })
  await admin`create database ${admin(name)}`
  const url = new URL(baseUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    kind: base ? 'external' : 'embedded',
    drop: async () => {
      await admin`drop database if exists ${admin(name)} with (force)`
      await admin.end()
      await cleanup()
    },
  }
}

export async function run(): Promise<void> {
  const db = await scratchDatabase()
  const sql = createPool(db.url, { max: 4 })
  try {
    await migrate(sql)
    const city = loadCity({ CITY_PROFILE: 'phan-thiet' })
    const log = (m: string) => process.stdout.write(`${m}\n`)
    log(`loading ${JSON.stringify(sizes)} with COPY (${db.kind} PostgreSQL)…`)
    let t0 = performance.now()
    await loadBenchData(sql, city.profile, sizes, end, 5)
    const loadSeconds = (performance.now() - t0) / 1000
    log(`loaded in ${loadSeconds.toFixed(1)} s; rebuilding rollups…`)
    t0 = performance.now()
    await sql`select kpi_rebuild_rollups()`
    await sql`vacuum analyze`
    const rebuildSeconds = (performance.now() - t0) / 1000
    const [{ rollupRows }] = await sql<[{ rollupRows: number }]>`
      select (select count(*) from kpi_ticket_rollup) + (select count(*) from kpi_ticket_resolve_hist)
           + (select count(*) from kpi_dossier_rollup) + (select count(*) from kpi_survey_rollup) as "rollupRows"`
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
    } finally {
      await server.close()
    }
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
      ratio5yTo1dP95: ratios,
      aim: {
        p95UnderMs: 50,
        met: maxP95 < 50,
        ratioAtMost: 1.5,
        ratioMet: Object.values(ratios).every((r) => r <= 1.5),
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
