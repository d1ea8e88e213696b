import { readFile, writeFile } from 'node:fs/promises'
import { cpus, loadavg } from 'node:os'
import path from 'node:path'
import { repoRoot } from '../src/config'
import { embeddedPostgresDies } from '../test/faults/cases/embedded-death'
import { killDuringIngest } from '../test/faults/cases/kill-ingest'
import { stopNpmStart } from '../test/faults/cases/npm-start'
import { databaseOutage } from '../test/faults/cases/outage'
import { reconnectsWithSince } from '../test/faults/cases/reconnects'
import { shutdownUnderLoad } from '../test/faults/cases/shutdown'
import { soak } from '../test/faults/cases/soak'
import { stalledClient } from '../test/faults/cases/stalled-client'

/**
 * `npm run faults [-- soak | fuzz | <case>]`: the fault suite of server/test/faults at full size (the
 * tests run the same cases small), its figures printed beside their aims and written to
 * server/bench/results/faults.json. `soak`: 50 clients at 50 changes/s with a burst every minute
 * for SOAK_MINUTES (30). `fuzz`: server/bench/fuzz.ts.
 */
const out = path.join(repoRoot, 'server/bench/results/faults.json')

/** Each case at full size, with the aim its figures are held to (docs/design.md §11, issue #14). */
const cases: Record<string, { aim: string; run: () => Promise<unknown> }> = {
  killDuringIngest: {
    aim: '0 acknowledged lost, 0 partial batches',
    run: () =>
      killDuringIngest({ rounds: 5, roundMs: 4000, batchWriters: 3, batchSize: 100, singleWriters: 4 }),
  },
  databaseOutage: {
    aim: 'no exit; only 503 database_unavailable within 2 s while down; health within 1 s; back within 10 s; 0 gaps',
    run: () => databaseOutage({ clients: 20, downMs: 15_000 }),
  },
  embeddedPostgresDies: {
    aim: 'no exit; 503 meanwhile; the embedded PostgreSQL started again; back within 10 s',
    run: () => embeddedPostgresDies(),
  },
  shutdownUnderLoad: {
    aim: 'exit 0 within grace + 5 s; 0 acknowledged lost',
    run: () => shutdownUnderLoad({ graceSeconds: 10, liveClients: 20 }),
  },
  npmStartSigtermToNpm: { aim: 'nothing left running', run: () => stopNpmStart('npm') },
  npmStartSigtermToPrinted: { aim: 'nothing left running', run: () => stopNpmStart('printed') },
  reconnectsWithSince: {
    aim: '0 gaps, 0 duplicates, 0 out of order',
    run: () => reconnectsWithSince({ clients: 50, reconnects: 1000, everyMs: 20 }),
  },
  stalledClient: {
    aim: 'retained memory far below the bytes ingested; one resync; 0 gaps after it',
    run: () => stalledClient({ items: 12_000, itemBytes: 3000, maxQueuedBytes: 4 * 1024 * 1024 }),
  },
  stalledClientUnbounded: {
    aim: 'control: with the bound above what is ingested, the measure sees the queue grow',
    run: () => stalledClient({ items: 12_000, itemBytes: 3000, maxQueuedBytes: 1024 ** 3, control: true }),
  },
}

/** Merges into the results file, so a soak run keeps the suite's figures and the other way round. */
async function save(key: string, figures: unknown) {
  const previous = JSON.parse(await readFile(out, 'utf8').catch(() => '{}')) as Record<string, unknown>
  const machine = {
    cpus: cpus().length,
    model: cpus()[0]?.model ?? 'unknown',
    loadavg1: round2(loadavg()[0]!),
  }
  const next = { ...previous, [key]: { when: new Date().toISOString(), machine, ...(figures as object) } }
  await writeFile(out, `${JSON.stringify(next, null, 2)}\n`)
}

const round2 = (x: number) => Math.round(x * 100) / 100

async function suite(only?: string) {
  // One case re-run (`npm run faults -- stalledClient`) replaces its row and keeps the others'.
  const previous = JSON.parse(await readFile(out, 'utf8').catch(() => '{}')) as {
    suite?: { cases?: Record<string, unknown> }
  }
  const results: Record<string, unknown> = only ? { ...previous.suite?.cases } : {}
  for (const [name, { aim, run }] of Object.entries(cases)) {
    if (only && name !== only) continue
    process.stdout.write(`\n== ${name} (aim: ${aim})\n`)
    const started = performance.now()
    try {
      results[name] = {
        aim,
        ...((await run()) as object),
        caseSeconds: Math.round((performance.now() - started) / 1000),
      }
    } catch (error) {
      results[name] = { aim, failed: String((error as Error)?.message ?? error) }
    }
    process.stdout.write(`${JSON.stringify(results[name])}\n`)
    await save('suite', { cases: results })
  }
}

async function soakRun() {
  const minutes = Number(process.env.SOAK_MINUTES ?? 30)
  process.stdout.write(
    `\n== soak: 50 clients, 50 changes/s, a burst of 1000 every minute, ${minutes} min (aim: growth under 10 %)\n`,
  )
  const figures = await soak({ minutes, clients: 50, perSecond: 50, burst: 1000 })
  const { samples: _samples, ...summary } = figures
  process.stdout.write(`${JSON.stringify(summary)}\n`)
  await save('soak', { aim: 'heap and RSS growth from minute 5 to the end under 10 %', ...figures })
}

const mode = process.argv[2]
if (mode === 'soak') await soakRun()
else if (mode === 'fuzz') {
  await (await import('./fuzz')).run()
} else if (mode === undefined || mode in cases) await suite(mode)
else {
  process.stderr.write(
    `npm run faults [-- soak | fuzz | ${Object.keys(cases).join(' | ')}]: no mode ${mode}\n`,
  )
  process.exit(1)
}
if (mode !== 'fuzz') process.stdout.write(`wrote ${path.relative(repoRoot, out)}\n`)
process.exit(0)
