import { parseArgs } from 'node:util'
import { ConfigError, loadConfig } from '../config'
import { startServer } from '../server'
import { type BriefingStep, runBriefing, yesterday } from './run'

const usage = "usage: npm run briefing -- [--date YYYY-MM-DD]   (default: yesterday in the city's time zone)"
const stepText: Record<BriefingStep, string> = {
  claim: 'claiming the day',
  snapshot: 'freezing the city view into a snapshot',
  render: 'printing the PDF with Chromium',
  write: 'writing the file',
  done: 'done',
  skipped: 'another process is producing this day right now: nothing to do',
}

/** `npm run briefing`: the scheduled briefing, on demand, with its progress shown. */
async function main() {
  const { values } = parseArgs({ options: { date: { type: 'string' }, help: { type: 'boolean' } } })
  if (values.help) return void process.stdout.write(`${usage}\n`)
  if (values.date && !/^\d{4}-\d{2}-\d{2}$/.test(values.date))
    throw new ConfigError(`--date must be YYYY-MM-DD\n${usage}`)
  // A private server on a free local port: the headless browser prints its snapshot page.
  const config = loadConfig({
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DEMO: '0',
    BRIEFING_SCHEDULE: '',
  })
  // While `npm start` runs, this shares its embedded PostgreSQL.
  const server = await startServer(config, { shareRunningDatabase: true })
  const steps = Object.keys(stepText).length - 2
  let n = 0
  try {
    const day = values.date ?? yesterday(server.deps.clock(), server.deps.city.profile.timeZone)
    process.stdout.write(`citydeck briefing for ${day}\n`)
    const result = await runBriefing(
      {
        deps: server.deps,
        baseUrl: server.url,
      },
      day,
      {
        retake: true,
        onStep: (step) => {
          const prefix = step === 'done' || step === 'skipped' ? '' : `[${++n}/${steps}] `
          process.stdout.write(`  ${prefix}${stepText[step]}\n`)
        },
      },
    )
    if (result.file)
      process.stdout.write(
        `PDF: ${result.file}\nsnapshot: ${server.url.replace(/:\d+$/, '')}/snapshots/${result.snapshotId}\n`,
      )
  } finally {
    await server.close()
  }
}

main().catch((error) => {
  process.stderr.write(`citydeck briefing: ${(error as Error).message}\n`)
  process.exit(1)
})
