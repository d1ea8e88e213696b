// A seeded server to look at the wall by hand: `npx tsx client/bench/serve.ts` (embedded PostgreSQL).
import { seedWallData } from '../e2e/support/wallData'
import { benchSource, benchTokens, startBenchServer } from './server'

const server = await startBenchServer({ PORT: process.env.PORT ?? '0' })
await seedWallData(server.url, benchTokens.feed, { now: new Date(), source: benchSource })
console.log(`${server.url}/wall?token=${benchTokens.display}`)
const stop = () => void server.stop().then(() => process.exit(0))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
