import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate } from '../../src/db/migrate'
import { foldAll } from '../../src/kpi/fold'
import { createTestDatabase, type TestDatabase } from '../support/test-database'
import { incrementalAndRebuilt } from './rollup-check'
import { dossier, survey, ticket, upsert } from './rows'

// The delta 20261203T1400_task_kpis.sql on a database that already holds folded KPIs and
// tasks: afterwards the rollups (new scope 3, new task rollups) equal a rebuild from raw rows.
const delta = '20261203T1400_task_kpis.sql'
let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(() => db?.drop())

/** Puts the database back where it was before the delta (the tables and rows it adds are gone). */
async function beforeDelta() {
  const sql = db.sql
  for (const op of ['ins', 'upd', 'del', 'trunc']) await sql.unsafe(`drop trigger kpi_${op} on tasks`)
  await sql`drop table kpi_task_rollup, kpi_task_pending`
  await sql`drop index tasks_issued_at, tasks_done_at, tasks_due_at`
  for (const table of [
    'kpi_ticket_rollup',
    'kpi_ticket_resolve_hist',
    'kpi_dossier_rollup',
    'kpi_survey_rollup',
  ]) {
    await sql`delete from ${sql(table)} where scope = 3`
    await sql.unsafe(`alter table ${table} drop constraint ${table}_scope_check,
      add constraint ${table}_scope_check check (scope in (0, 1, 2))`)
  }
  await sql`delete from schema_migrations where name = ${delta}`
}

describe('the task KPIs delta', () => {
  it('fills scope 3 from the folded rollups and queues the stored tasks', async () => {
    const sql = db.sql
    await upsert(sql, 'tickets', [
      ticket({
        ref: 't1',
        unit: 'u1',
        received_at: '2026-03-01T01:00:00Z',
        resolved_at: '2026-03-01T05:00:00Z',
      }),
      ticket({ ref: 't2', unit: 'u2', category: 'traffic', received_at: '2026-03-02T01:00:00Z' }),
    ])
    await upsert(sql, 'dossiers', [
      dossier({ ref: 'd1', unit: 'u1', received_at: '2026-03-01T01:00:00Z', due_at: '2026-03-05T01:00:00Z' }),
    ])
    await upsert(sql, 'survey_answers', [
      survey({ ref: 's1', unit: 'u2', submitted_at: '2026-03-01T03:00:00Z', score: 4 }),
    ])
    await foldAll(sql)
    await beforeDelta()
    await sql`
      insert into tasks (source, ref, updated_at, title, unit, issued_at, due_at, status, content_hash)
      values ('s', 'k1', now(), 'Nhiệm vụ', 'u1', '2026-03-01T02:00:00Z', '2026-03-01T10:00:00Z', 'assigned', 'h')`
    expect(await migrate(sql)).toEqual([delta])
    const { incremental, rebuilt } = await incrementalAndRebuilt(sql)
    expect(incremental).toEqual(rebuilt)
    expect(incremental.tasks.length).toBeGreaterThan(0)
    const [{ n }] = await sql<
      [{ n: number }]
    >`select count(*)::int as n from kpi_dossier_rollup where scope = 3`
    expect(n).toBeGreaterThan(0)
  })
})
