import { describe, expect, it } from 'vitest'
import { embeddedPostgresDies } from './cases/embedded-death'

describe('the embedded PostgreSQL dies under a running server (docs/design.md §11)', () => {
  it('is started again; the server stays up and answers 503 meanwhile', async () => {
    const f = await embeddedPostgresDies()
    expect(f.survived).toBe(true)
    expect(f.restarted).toBe(true)
    expect(f.unanswered).toBe(0)
    expect(f.wrongAnswers).toBe(0)
    expect(f.slowestHealthMs).toBeLessThan(1500)
    expect(f.recoveredSeconds).toBeLessThan(10)
    expect(f.lost).toBe(0)
    // Once ingest works again, a read may still meet a connection that died with the database
    // (it answers 503 and is retried), never anything else.
    expect(Object.keys(f.readFailures).filter((k) => k !== '503 database_unavailable')).toEqual([])
  }, 120_000)
})
