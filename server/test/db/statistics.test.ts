import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { analyzeStale } from '../../src/db/statistics'
import { ingest, ticket } from '../live/support'
import { startTestServer, type TestServer } from '../support/test-server'

let server: TestServer

beforeAll(async () => {
  server = await startTestServer()
  // Only this test's ANALYZE may reset the counters it reads.
  await server.db.sql`alter table tickets set (autovacuum_enabled = false)`
})
afterAll(() => server?.stop())

const ticketStats = async () => {
  const [row] = await server.db.sql<{ mods: number; analyzed: boolean; tuples: number }[]>`
    select s.n_mod_since_analyze::int as mods, s.last_analyze is not null as analyzed, c.reltuples::int as tuples
    from pg_stat_user_tables s join pg_class c on c.oid = s.relid where s.relname = 'tickets'`
  return row!
}

/** PostgreSQL's activity counters take in a backend's writes a moment after they commit. */
async function untilWritesCounted(mods: number) {
  const started = Date.now()
  while ((await ticketStats()).mods < mods) {
    if (Date.now() - started > 20_000) throw new Error(`timed out waiting for ${mods} counted writes`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

const tickets = (from: number, n: number) => Array.from({ length: n }, (_, i) => ticket(`st-${from + i}`))

describe('planner statistics after bulk writes', () => {
  it('analyzes a table once written past the rule, and not before', async () => {
    await ingest(server.url, tickets(0, 300))
    await untilWritesCounted(300)
    expect(await analyzeStale(server.db.sql, { minRows: 300, share: 0.2 })).toContain('tickets')
    expect(await ticketStats()).toEqual({ mods: 0, analyzed: true, tuples: 300 })

    // 50 more rows are under 20 % of the 300 it had when analyzed: not stale yet.
    await ingest(server.url, tickets(300, 50))
    await untilWritesCounted(50)
    expect(await analyzeStale(server.db.sql, { minRows: 1, share: 0.2 })).not.toContain('tickets')
    await ingest(server.url, tickets(350, 20))
    await untilWritesCounted(70)
    expect(await analyzeStale(server.db.sql, { minRows: 1, share: 0.2 })).toContain('tickets')
    expect(await ticketStats()).toEqual({ mods: 0, analyzed: true, tuples: 370 })
  })
})
