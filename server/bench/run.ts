import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/**
 * `npm run bench [-- name ...]`: runs every `server/bench/*.bench.ts`, or only those named
 * (`npm run bench -- live`). Each exports `async function run()` and writes its own JSON to
 * `server/bench/results/`.
 */
const here = path.dirname(fileURLToPath(import.meta.url))
const wanted = process.argv.slice(2)
const files = (await readdir(here)).filter((f) => f.endsWith('.bench.ts')).sort()
const selected = wanted.length ? files.filter((f) => wanted.includes(f.replace(/\.bench\.ts$/, ''))) : files
if (selected.length === 0) {
  process.stderr.write(`no benchmark named ${wanted.join(', ')}; have: ${files.join(', ')}\n`)
  process.exit(1)
}
for (const file of selected) {
  process.stdout.write(`\n== ${file}\n`)
  const bench = (await import(pathToFileURL(path.join(here, file)).href)) as { run: () => Promise<void> }
  await bench.run()
}
process.exit(0)
