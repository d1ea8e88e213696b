import path from 'node:path'
import { feedName } from '@citydeck/shared'
import { SingleBar } from 'cli-progress'
import { loadCity } from '../city/profile'
import { ConfigError, loadConfig } from '../config'
import { openDatabase } from '../db/connection'
import { migrate } from '../db/migrate'
import { DomainEvents } from '../events'
import { importCsv } from './csv-import'

const usage = `usage: npm run import -- <tickets|dossiers|surveys|procedures> <file.csv>
Columns are the feed's field names (docs/design.md §2), nested ones as location.lat; rejected rows go
to <file>.rejects.csv with their line, field and reason. Re-running a file is safe.`

/** `npm run import`: CSV backfill through the same validation and upsert as the HTTP feeds. */
async function main() {
  const [feedArg, fileArg] = process.argv.slice(2).filter((a) => a !== '--')
  if (!feedArg || feedArg === '--help') return void process.stdout.write(`${usage}\n`)
  const feed = feedName.safeParse(feedArg)
  if (!feed.success || !fileArg)
    throw new ConfigError(`${feed.success ? 'missing <file.csv>' : `unknown feed "${feedArg}"`}\n${usage}`)
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
      (p) => {
        const seconds = (performance.now() - started) / 1000
        bar.setTotal(Math.max(p.totalBytes, 1))
        bar.update(p.bytes, { rows: p.rows, rate: Math.round(p.rows / Math.max(seconds, 0.001)) })
      },
    )
    bar.stop()
    const rate = Math.round(summary.rows / Math.max(summary.seconds, 0.001))
    process.stdout.write(
      `${summary.rows} rows in ${summary.seconds.toFixed(1)} s (${rate} rows/s): ` +
        `${summary.created} created, ${summary.updated} updated, ${summary.ignored} ignored, ` +
        `${summary.rejected} rejected, ${summary.warnings} warnings\n`,
    )
    if (summary.rejectsFile) process.stdout.write(`rejected rows with reasons: ${summary.rejectsFile}\n`)
    if (summary.rejected) process.exitCode = 2
  } finally {
    bar.stop()
    await database.close()
  }
}

main().catch((error) => {
  process.stderr.write(`citydeck import: ${(error as Error).message}\n`)
  process.exit(1)
})
