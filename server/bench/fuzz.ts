import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadConfig } from '../src/config'
import { createPool } from '../src/db/connection'
import { type EmbeddedCluster, startEmbeddedPostgres } from '../src/db/embedded'
import { startServer } from '../src/server'
import { FuzzStats } from '../test/fuzz/answers'
import { properties } from '../test/fuzz/properties'
import { fuzzSettings, runProperty, testRuns } from '../test/fuzz/run'
import { fuzzServerEnv, prepareTarget } from '../test/fuzz/target'

/**
 * The long fuzz run of issue #15 (`npm run faults -- fuzz`, or `npx tsx server/bench/fuzz.ts`):
 * the properties of `server/test/fuzz` with many more runs (FUZZ_RUNS, default 20× the test's),
 * from FUZZ_SEED (default the test's fixed seed). It counts rather than stops: every 5xx,
 * nameless 4xx and stored-or-lost item is listed, up to 50 of each, in
 * `server/bench/results/fuzz.json`. Against a new database on DATABASE_URL's server when set,
 * else an embedded PostgreSQL in a temporary folder.
 */
const here = path.dirname(fileURLToPath(import.meta.url))

export async function run(): Promise<void> {
  const settings = fuzzSettings(testRuns * 20)
  const { url: dbUrl, drop } = await scratchDatabase()
  const server = await startServer(
    loadConfig({
      PORT: '0',
      DEMO: '0',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
      ...fuzzServerEnv(),
      DATABASE_URL: dbUrl,
    }),
  )
  const sql = createPool(dbUrl, { max: 2 })
  const stats = new FuzzStats('count')
  const started = Date.now()
  const perProperty: Array<{ name: string; requests: number; seconds: number }> = []
  try {
    const target = await prepareTarget(server, sql)
    for (const property of properties) {
      const before = stats.requests
      const t0 = Date.now()
      process.stdout.write(`fuzz: ${property.name} (${settings.runs * property.weight} runs)… `)
      await runProperty(property, target, stats, settings)
      perProperty.push({
        name: property.name,
        requests: stats.requests - before,
        seconds: (Date.now() - t0) / 1000,
      })
      process.stdout.write(`${stats.requests - before} requests\n`)
    }
    const untouched = target.routes.filter((r) => !stats.routesHit.has(r))
    const kinds = ['5xx', 'reset', 'nameless', 'shape', 'stored', 'lost'] as const
    const result = {
      benchmark: 'fuzz',
      at: new Date().toISOString(),
      database: process.env.DATABASE_URL ? 'external' : 'embedded',
      seed: settings.seed,
      runs: settings.runs,
      seconds: Math.round((Date.now() - started) / 1000),
      requests: stats.requests,
      routes: target.routes.length,
      routesNotHit: untouched,
      statuses: stats.statuses,
      violations: Object.fromEntries(kinds.map((k) => [k, stats.count(k)])),
      properties: perProperty,
      examples: kinds.flatMap((k) => stats.violations.filter((v) => v.kind === k).slice(0, 50)),
    }
    const dir = path.join(here, 'results')
    await mkdir(dir, { recursive: true })
    await writeFile(path.join(dir, 'fuzz.json'), `${JSON.stringify(result, null, 2)}\n`)
    process.stdout.write(
      `fuzz: ${stats.requests} requests in ${result.seconds} s, seed ${settings.seed}, runs ${settings.runs}: ` +
        `${stats.count('5xx')} × 5xx, ${stats.count('reset')} connections cut, ${stats.count('nameless')} nameless 4xx, ${stats.count('shape')} malformed errors, ` +
        `${stats.count('stored')} stored from rejected, ${stats.count('lost')} good items lost; ` +
        `routes not hit: ${untouched.length ? untouched.join(', ') : 'none'}\n` +
        `fuzz: statuses ${JSON.stringify(stats.statuses)}; written to server/bench/results/fuzz.json\n`,
    )
    if (stats.violations.length) process.exitCode = 1
  } finally {
    await sql.end({ timeout: 5 })
    await server.close()
    await drop()
  }
}

/** A new database on DATABASE_URL's server, else on an embedded PostgreSQL of its own. */
async function scratchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  let cluster: EmbeddedCluster | null = null
  let dataDir: string | null = null
  let base = process.env.DATABASE_URL
  if (!base) {
    dataDir = await mkdtemp(path.join(tmpdir(), 'citydeck-fuzz-pg-'))
    cluster = await startEmbeddedPostgres({ dataDir })
    base = cluster.url('postgres')
  }
  const name = `citydeck_fuzz_${randomBytes(4).toString('hex')}`
  const admin = createPool(base, { max: 1 })
  await admin`create database ${admin(name)}`
  const url = new URL(base)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: async () => {
      await admin`drop database if exists ${admin(name)} with (force)`
      await admin.end({ timeout: 5 })
      await cluster?.stop()
      if (dataDir) await rm(dataDir, { recursive: true, force: true })
    },
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await run()
  process.exit(process.exitCode ?? 0)
}
