import { rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { feedName } from '@citydeck/shared'
import { SingleBar } from 'cli-progress'
import { Registry } from 'prom-client'
import { loadCity } from '../city/profile'
import { ConfigError, loadConfig } from '../config'
import { openDatabase } from '../db/connection'
import { migrate } from '../db/migrate'
import { DomainEvents } from '../events'
import { ingestItemsCounter } from '../observability/metrics'
import { dateFormats, delimiters } from './csv-dialect'
import { importCsv } from './csv-import'

const usage = `usage: npx citydeck-import <tickets|dossiers|surveys|procedures|tasks> <file.csv> [options]
  --delimiter <;|,|tab|\\|>           what separates cells (default: found from the header line)
  --date-format <dd/mm/yyyy|mm/dd/yyyy>  how 28/11/2026-like dates read (default dd/mm/yyyy)
  --metrics-file <path>                 write citydeck_ingest_items_total of this import there
                                        (Prometheus text, for node_exporter's textfile collector)
Columns are the feed's field names (docs/design.md §2), nested ones as location.lat. Times without
an offset are the city's (CITY_TZ). Rejected rows, and rows stored with a warning, go to
<file>.rejects.csv with their line, outcome, field and reason. Re-running a file is safe.
Exit status: 0 every row stored, 3 some rows rejected, 1 the import failed.`

/** Exit statuses (docs/api.md, CSV backfill). */
const exit = { stored: 0, failed: 1, someRejected: 3 } as const

/** `npx citydeck-import` (or `npm run import`): CSV backfill through the same validation and write path as the HTTP feeds. */
async function main() {
  const { positionals, values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'),
    allowPositionals: true,
    options: {
      delimiter: { type: 'string' },
      'date-format': { type: 'string' },
      'metrics-file': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const [feedArg, fileArg] = positionals
  if (values.help || !feedArg) return void process.stdout.write(`${usage}\n`)
  const feed = feedName.safeParse(feedArg)
  if (!feed.success || !fileArg)
    throw new ConfigError(`${feed.success ? 'missing <file.csv>' : `unknown feed "${feedArg}"`}\n${usage}`)
  const delimiter = values.delimiter === undefined ? undefined : delimiters[values.delimiter]
  if (values.delimiter !== undefined && !delimiter)
    throw new ConfigError(`--delimiter ${values.delimiter}: use one of ${Object.keys(delimiters).join(' ')}`)
  const dateOrder = values['date-format'] === undefined ? undefined : dateFormats[values['date-format']]
  if (values['date-format'] !== undefined && !dateOrder)
    throw new ConfigError(
      `--date-format ${values['date-format']}: use ${Object.keys(dateFormats).join(' or ')}`,
    )
  // `npm run import` runs in server/: a relative path is the caller's (INIT_CWD).
  const file = path.resolve(process.env.INIT_CWD ?? process.cwd(), fileArg)

  const config = loadConfig()
  const city = loadCity(config)
  // While `npm start` runs, this shares its embedded PostgreSQL.
  const database = await openDatabase(config, { shareRunning: true })
  const bar = new SingleBar({
    format: ' {bar} {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted}',
    hideCursor: true,
    stream: process.stderr,
    noTTYOutput: false,
  })
  try {
    await migrate(database.sql)
    const started = performance.now()
    bar.start(1, 0, { rows: 0, rate: 0 })
    const summary = await importCsv(
      { sql: database.sql, city, events: new DomainEvents() },
      feed.data,
      file,
      {
        delimiter,
        dateOrder,
        onProgress: (p) => {
          const seconds = (performance.now() - started) / 1000
          bar.setTotal(Math.max(p.totalBytes, 1))
          bar.update(p.bytes, { rows: p.rows, rate: Math.round(p.rows / Math.max(seconds, 0.001)) })
        },
      },
    )
    bar.stop()
    const rate = Math.round(summary.rows / Math.max(summary.seconds, 0.001))
    process.stdout.write(
      `${summary.rows} rows in ${summary.seconds.toFixed(1)} s (${rate} rows/s): ` +
        `${summary.created} created, ${summary.updated} updated, ${summary.ignored} ignored, ` +
        `${summary.rejected} rejected, ${summary.warnings} warnings\n`,
    )
    if (summary.rejectsFile)
      process.stdout.write(`rejected and warned rows, with reasons: ${summary.rejectsFile}\n`)
    if (values['metrics-file'])
      await writeIngestMetrics(
        path.resolve(process.env.INIT_CWD ?? process.cwd(), values['metrics-file']),
        feed.data,
        summary,
      )
    process.exitCode = summary.rejected ? exit.someRejected : exit.stored
  } finally {
    bar.stop()
    await database.close()
  }
}

main().catch((error) => {
  process.stderr.write(`citydeck-import: ${(error as Error).message}\n`)
  process.exit(exit.failed)
})

/**
 * The CSV door's counts (docs/design.md §11: every door counted). An import is a process of its
 * own that no Prometheus scrapes, so it leaves the same metric family in a file, written whole
 * (temporary file, then rename) for node_exporter's textfile collector to pick up.
 */
async function writeIngestMetrics(
  file: string,
  feed: string,
  summary: { created: number; updated: number; ignored: number; rejected: number },
) {
  const registry = new Registry()
  const items = ingestItemsCounter(registry)
  for (const outcome of ['created', 'updated', 'ignored', 'rejected'] as const)
    items.inc({ feed, outcome }, summary[outcome])
  const text = await registry.metrics()
  await writeFile(`${file}.tmp`, `${text}\n`)
  await rename(`${file}.tmp`, file)
}
