// Bundles the server's own TypeScript (server/src and the shared package) into one ES module
// when those sources changed, for `npm start`: running it costs Node one parse, where tsx's
// loader resolved and transformed several hundred modules on every start (most of a later
// start's time). npm packages stay outside the bundle, loaded by Node as usual from
// node_modules (native and optional ones included), so the bundle only holds code of this repo.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
// Beside server/src, so that packages resolve from server/node_modules, then the root's, as there.
const outDir = path.join(root, 'server', '.cache')
export const serverBundle = path.join(outDir, 'main.mjs')
const stampFile = path.join(outDir, 'main.sources.json')
/** What the bundle depends on beyond the modules it holds: locked versions, settings, this script. */
const alwaysInputs = [
  'package-lock.json',
  'tsconfig.base.json',
  'server/tsconfig.json',
  'scripts/server-build.mjs',
]

/** A hash of `files` (relative to the root): their paths and contents; null if one is gone. */
function hashOf(files) {
  const hash = createHash('sha256')
  for (const file of files) {
    const full = path.join(root, file)
    if (!existsSync(full)) return null
    hash.update(file).update('\0').update(readFileSync(full))
  }
  return hash.digest('hex')
}

/** Whether the bundle was built from the sources as they are now. */
function upToDate() {
  if (!existsSync(serverBundle) || !existsSync(stampFile)) return false
  try {
    const stamp = JSON.parse(readFileSync(stampFile, 'utf8'))
    return stamp.hash === hashOf(stamp.inputs)
  } catch {
    return false
  }
}

/**
 * Each bundled module keeps its own location: `import.meta.url` becomes the URL of its source
 * file, so paths it derives from it (the repository root, migrations, the OpenAPI bundle's
 * `require`) are those they are under tsx.
 */
const ownLocation = {
  name: 'own-location',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@citydeck/') ? undefined : { path: args.path, external: true },
    )
    build.onLoad({ filter: /\.[cm]?ts$/ }, (args) => {
      const url = pathToFileURL(args.path).href
      const contents = readFileSync(args.path, 'utf8')
        .replaceAll('import.meta.url', JSON.stringify(url))
        .replaceAll('import.meta.dirname', JSON.stringify(path.dirname(args.path)))
        .replaceAll('import.meta.filename', JSON.stringify(args.path))
      return { contents, loader: 'ts' }
    })
  },
}

/**
 * Builds server/.cache/main.mjs unless it is up to date; resolves with its path, or null when it
 * cannot be built (then the caller runs the sources through tsx, as before).
 */
export async function ensureServerBuilt({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  if (upToDate()) return serverBundle
  const started = performance.now()
  try {
    const esbuild = await import('esbuild')
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: [path.join(root, 'server/src/main.ts')],
      outfile: serverBundle,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: `node${process.versions.node.split('.')[0]}`,
      sourcemap: 'linked',
      metafile: true,
      logLevel: 'silent',
      plugins: [ownLocation],
    })
    const inputs = [...alwaysInputs, ...Object.keys(result.metafile.inputs).sort()]
    mkdirSync(outDir, { recursive: true })
    writeFileSync(stampFile, JSON.stringify({ hash: hashOf(inputs), inputs }))
    log(`citydeck: server bundled in ${((performance.now() - started) / 1000).toFixed(1)} s`)
    return serverBundle
  } catch (error) {
    log(`citydeck: could not bundle the server (${error.message.split('\n')[0]}): running its sources`)
    return null
  }
}
