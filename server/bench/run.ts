import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { run as writeReport } from './report'

/**
 * `npm run bench [-- name ...]`: runs every `server/bench/*.bench.ts`, or only those named
 * (`npm run bench -- live`). Each exports `async function run()` and writes its own JSON to
 * `server/bench/results/`. Then docs/performance.md's table is rewritten from every result file
 * (`npm run bench -- report` does only that).
 */
const here = path.dirname(fileURLToPath(import.meta.url))
const wanted = process.argv.slice(2).filter((name) => name !== 'report')
const reportOnly = wanted.length === 0 && process.argv.includes('report')
const files = (await readdir(here)).filter((f) => f.endsWith('.bench.ts')).sort()
const selected = wanted.length ? files.filter((f) => wanted.includes(f.replace(/\.bench\.ts$/, ''))) : files
if (selected.length === 0 && !reportOnly) {
  process.stderr.write(`no benchmark named ${wanted.join(', ')}; have: ${files.join(', ')}\n`)
  process.exit(1)
}
for (const file of reportOnly ? [] : selected) {
  process.stdout.write(`\n== ${file}\n`)
  const bench = (await import(pathToFileURL(path.join(here, file)).href)) as { run: () => Promise<void> }
  await bench.run()
}
await writeReport()
process.exit(0)
