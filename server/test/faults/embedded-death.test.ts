import { describe, expect, it } from 'vitest'
import { embeddedPostgresDies } from './cases/embedded-death'

describe('the embedded PostgreSQL dies under a running server (DESIGN §11)', () => {
  it('is started again; the server stays up and answers 503 meanwhile', async () => {
    const f = await embeddedPostgresDies()
    expect(f.survived).toBe(true)
    expect(f.restarted).toBe(true)
    expect(f.unanswered).toBe(0)
    expect(f.wrongAnswers).toBe(0)
    expect(f.slowestHealthMs).toBeLessThan(1500)
    expect(f.recoveredSeconds).toBeLessThan(10)
    expect(f.lost).toBe(0)
    // Back means back: no 503 for a straggling error of the outage once ingest works again.
    expect(f.readFailures).toEqual({})
  }, 60_000)
})
