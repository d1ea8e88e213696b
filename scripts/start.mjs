// `npm start`: one process. It builds the client if its sources changed, bundles the server's
// TypeScript if its sources changed, then runs the server in this same process, so a signal to
// this PID, or to npm, which passes it on, stops the server and its embedded PostgreSQL
// (docs/design.md §11). Without a bundle (esbuild missing or failing), tsx's loader runs the
// sources instead, only slower to start.
import { pathToFileURL } from 'node:url'
import { ensureClientBuilt } from './client-build.mjs'
import { ensureServerBuilt } from './server-build.mjs'

let stopped = false
const stopEarly = () => {
  stopped = true
}
process.on('SIGINT', stopEarly)
process.on('SIGTERM', stopEarly)
let bundle = null
try {
  await ensureClientBuilt()
  if (!stopped) bundle = await ensureServerBuilt()
} catch (error) {
  process.stderr.write(`citydeck: ${error.message}\n`)
  process.exit(1)
}
process.off('SIGINT', stopEarly)
process.off('SIGTERM', stopEarly)
if (stopped) process.exit(0)
if (bundle) {
  // Stack traces in logs name the TypeScript sources, not the bundle.
  process.setSourceMapsEnabled(true)
  await import(pathToFileURL(bundle).href)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import('../server/src/main.ts')
}
