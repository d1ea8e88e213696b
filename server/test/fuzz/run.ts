import fc from 'fast-check'
import type { FuzzStats } from './answers'
import type { FuzzTarget } from './target'

/** A property as written: its cases drawn by `cases`, each sent and judged by `run`. */
type PropertyDefinition<Case> = {
  name: string
  /** The routes it fuzzes (the route-set check needs every route in at least one). */
  routes: (t: FuzzTarget) => string[]
  /** Its arbitrary of one case. */
  cases: (t: FuzzTarget) => fc.Arbitrary<Case>
  run: (t: FuzzTarget, stats: FuzzStats, c: Case) => Promise<void>
  /** Relative run count (an ingest batch costs more than a GET). */
  weight: number
}

type Settings = { seed: number; runs: number }

/** A property with its case type closed over, so properties of different cases share one list. */
export type FuzzProperty = Pick<PropertyDefinition<unknown>, 'name' | 'routes' | 'weight'> & {
  assert: (t: FuzzTarget, stats: FuzzStats, settings: Settings) => Promise<void>
}

/** The property of `cases` and `run`, as fast-check asserts it: `runs × weight` cases from `seed`. */
export function fuzzProperty<Case>({ cases, run, ...about }: PropertyDefinition<Case>): FuzzProperty {
  return {
    ...about,
    assert: (t, stats, settings) =>
      fc.assert(
        fc.asyncProperty(cases(t), async (c) => {
          await run(t, stats, c)
        }),
        { seed: settings.seed, numRuns: settings.runs * about.weight, endOnFailure: stats.mode === 'count' },
      ),
  }
}

export const defaultSeed = 20261503
/** Runs per property (times its weight) in `npm test`; the bench runs 20× as many. */
export const testRuns = 10

/** FUZZ_SEED (else a fixed seed, so CI runs are reproducible) and FUZZ_RUNS (else `runs`). */
export function fuzzSettings(runs: number): Settings {
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : defaultSeed
  const n = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : runs
  if (!Number.isSafeInteger(seed))
    throw new Error(`FUZZ_SEED must be an integer, not ${process.env.FUZZ_SEED}`)
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`FUZZ_RUNS must be a positive integer, not ${process.env.FUZZ_RUNS}`)
  return { seed, runs: n }
}

/** Runs one property `runs × weight` times from `seed` (a failure reports the seed and shrunk case). */
export async function runProperty(
  property: FuzzProperty,
  t: FuzzTarget,
  stats: FuzzStats,
  settings: Settings,
): Promise<void> {
  await property.assert(t, stats, settings)
}
