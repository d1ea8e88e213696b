// `npm start`: one process. It builds the client if its sources changed, then runs the server
// in this same process (TypeScript through tsx's loader), so a signal to this PID, or to npm,
// which passes it on, stops the server and its embedded PostgreSQL (docs/design.md §11).
import { ensureClientBuilt } from './client-build.mjs'

let stopped = false
const stopEarly = () => {
  stopped = true
}
process.on('SIGINT', stopEarly)
process.on('SIGTERM', stopEarly)
try {
  await ensureClientBuilt()
} catch (error) {
  process.stderr.write(`citydeck: ${error.message}\n`)
  process.exit(1)
}
process.off('SIGINT', stopEarly)
process.off('SIGTERM', stopEarly)
if (stopped) process.exit(0)
const { register } = await import('tsx/esm/api')
register()
await import('../server/src/main.ts')
