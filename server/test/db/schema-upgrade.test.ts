import { execFile } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { migrate } from '../../src/db/migrate'
import { createTestDatabase, type TestDatabase } from '../support/test-database'
import { schemaOf } from './schema-of'

// The migrations as they were before the squash (main at ede92e6): what a database created by
// that version holds. Kept verbatim as a fixture, never edited.
const journal = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'journal-20261128')

const dbs: TestDatabase[] = []
afterAll(() => Promise.all(dbs.map((db) => db.drop())))

/** A database as the old journal left it, with a little data, recorded as its runner recorded it. */
async function journalDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase({ migrated: false })
  dbs.push(db)
  await db.sql`create table schema_migrations (name text primary key, applied_at timestamptz not null default now())`
  for (const file of (await readdir(journal)).sort()) {
    await db.sql.unsafe(await readFile(path.join(journal, file), 'utf8'))
    await db.sql`insert into schema_migrations (name) values (${file})`
  }
  await db.sql`
    insert into tickets (source, ref, updated_at, category, title, lat, lng, status, received_at, due_at, content_hash)
    values ('s', 'old-1', now(), 'waste', 'Rác', 10.93, 108.1, 'received', now() - interval '9 hours',
            now() - interval '1 hour', 'h')`
  return db
}

/** `pg_dump --schema-only`, when a pg_dump of the server's major version is at hand (else null). */
async function dumpOf(db: TestDatabase): Promise<string | null> {
  const [{ version }] = await db.sql<
    [{ version: string }]
  >`select current_setting('server_version_num') as version`
  const run = promisify(execFile)
  const own = await run('pg_dump', ['--version']).catch(() => null)
  if (!own || Number(own.stdout.match(/(\d+)\./)?.[1]) !== Math.floor(Number(version) / 10000)) return null
  const { stdout } = await run(
    'pg_dump',
    ['--schema-only', '--no-owner', '--restrict-key=citydeck', db.url],
    { maxBuffer: 64 << 20 },
  )
  return stdout
}

describe('the squashed schema', () => {
  it('is what a database created by the old migrations upgrades to, and what a fresh one gets', async () => {
    const old = await journalDatabase()
    const before = await schemaOf(old.sql)
    await migrate(old.sql)
    const upgraded = await schemaOf(old.sql)
    const fresh = await createTestDatabase()
    dbs.push(fresh)
    expect(upgraded).toEqual(await schemaOf(fresh.sql))
    // Where pg_dump can read the server (the PostgreSQL 15 of CI's second pass), its dumps agree too.
    const [oldDump, freshDump] = await Promise.all([dumpOf(old), dumpOf(fresh)])
    if (oldDump !== null) expect(oldDump).toEqual(freshDump)
    // The upgrade is not a no-op check: the journal's code (functions) was replaced by this version's.
    expect(before).not.toEqual(upgraded)
    // Data and KPIs survive: the old ticket is still counted as open and overdue.
    const [row] = await old.sql`select count(*)::int as n from tickets`
    expect(row!.n).toBe(1)
    await old.sql`select kpi_fold_pending(100000, true)`
    const [overdue] = await old.sql`
      select sum(overdue_delta)::int as n from kpi_ticket_rollup where scope = 2 and grain = 'year'`
    expect(overdue!.n).toBe(1)
  })

  it('migrates again without changing anything', async () => {
    const db = await createTestDatabase()
    dbs.push(db)
    const once = await schemaOf(db.sql)
    expect(await migrate(db.sql)).toEqual([])
    expect(await schemaOf(db.sql)).toEqual(once)
  })
})
