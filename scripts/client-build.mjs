// Builds the client only when its sources changed since the last build: `npm start` and
// `npm test` call it, so a second start does not rebuild what is already built.
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const dist = path.join(root, 'client', 'dist')
const stampFile = path.join(dist, '.sources-hash')
/** Everything the build reads: the client, the shared contracts, and the locked dependencies. */
const inputs = [
  'client/src',
  'client/public',
  'client/index.html',
  'client/vite.config.ts',
  'client/package.json',
  'client/tsconfig.json',
  'shared/src',
  'shared/package.json',
  'package-lock.json',
]

function* files(entry) {
  const full = path.join(root, entry)
  if (!existsSync(full)) return
  if (statSync(full).isDirectory()) {
    for (const name of readdirSync(full).sort()) yield* files(path.join(entry, name))
  } else if (!entry.endsWith('.test.ts')) {
    yield entry
  }
}

/** A hash of the build's inputs: their paths and contents. */
export function sourcesHash() {
  const hash = createHash('sha256')
  for (const entry of inputs) {
    for (const file of files(entry))
      hash
        .update(file)
        .update('\0')
        .update(readFileSync(path.join(root, file)))
  }
  return hash.digest('hex')
}

/** Builds into client/dist unless the last build's inputs are these; resolves once built. */
export async function ensureClientBuilt({ log = (line) => process.stdout.write(`${line}\n`) } = {}) {
  const hash = sourcesHash()
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash) return { built: false }
  const started = performance.now()
  log('citydeck: building the client · đang dựng giao diện…')
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js')
  const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: path.join(root, 'client'),
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  // A signal during the build stops the build too: nothing is left running.
  const forward = (signal) => child.kill(signal)
  process.on('SIGINT', forward)
  process.on('SIGTERM', forward)
  const code = await new Promise((resolve) => child.on('exit', (c, signal) => resolve(signal ?? c)))
  process.off('SIGINT', forward)
  process.off('SIGTERM', forward)
  if (code !== 0) throw new Error(`the client build failed (${code})`)
  writeFileSync(stampFile, hash)
  log(`citydeck: client built in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  return { built: true }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureClientBuilt().catch((error) => {
    process.stderr.write(`citydeck: ${error.message}\n`)
    process.exit(1)
  })
}
