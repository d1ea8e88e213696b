import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase } from '../support/test-database'
import { startTestServer, type TestServer } from '../support/test-server'
import { FuzzStats } from './answers'
import { properties } from './properties'
import { routeInputs } from './routes'
import { fuzzSettings, runProperty, testRuns } from './run'
import { type FuzzTarget, fuzzServerEnv, prepareTarget } from './target'

// Issue #15: property-based fuzzing over every route, body kind and query parameter, with
// every role's token, against a real server. Bounded here (FUZZ_RUNS, default small); the long
// run is `npm run faults -- fuzz` (server/bench/fuzz.ts). A failure prints its seed: rerun with
// FUZZ_SEED=<seed> to get the same cases.
const settings = fuzzSettings(testRuns)
let server: TestServer
let target: FuzzTarget
const stats = new FuzzStats('throw')

beforeAll(async () => {
  const db = await createTestDatabase()
  server = await startTestServer(fuzzServerEnv(), { db })
  target = await prepareTarget(server, db.sql)
}, 60_000)
afterAll(async () => {
  await server?.stop()
  await server?.db.drop()
  process.stdout.write(
    `fuzz: ${stats.requests} requests, seed ${settings.seed}, runs ${settings.runs}, statuses ${JSON.stringify(stats.statuses)}\n`,
  )
})

/** fast-check's report, with long runs of one character (70,000 × "y") written as a count. */
const shorten = (message: string) =>
  message.replace(/(.)\1{40,}/gsu, (run, ch) => `${ch}{×${run.length}}`).slice(0, 6000)

const lastViolation = () => {
  const v = stats.violations.at(-1)
  return v ? `${v.kind}: ${v.detail}\n  request: ${v.request}` : ''
}

describe('the fuzzed routes', () => {
  it('are exactly the routes the app registers', () => {
    expect(Object.keys(routeInputs).sort()).toEqual(target.routes)
    const covered = new Set(properties.flatMap((p) => p.routes(target)))
    expect([...covered].sort()).toEqual(target.routes)
  })
})

describe(`fuzzing (seed ${settings.seed}, FUZZ_SEED to change; FUZZ_RUNS=${settings.runs})`, () => {
  for (const property of properties) {
    it(property.name, async () => {
      try {
        await runProperty(property, target, stats, settings)
      } catch (error) {
        throw new Error(
          `FUZZ_SEED=${settings.seed} FUZZ_RUNS=${settings.runs}: ${shorten(lastViolation())}\n${shorten((error as Error).message)}\n${shorten(String((error as Error).cause ?? ''))}`,
        )
      }
    }, 120_000)
  }
})
