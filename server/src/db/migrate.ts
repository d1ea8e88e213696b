import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Umzug, type UmzugStorage } from 'umzug'
import { logger } from '../observability/logger'
import type { Queryable, Sql } from './connection'

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const log = logger.child({ module: 'migrations' })

/** The current tables, in one place: what a fresh database is created from. */
const schemaFiles = ['db/schema.sql', 'kpi/sql/tables.sql']
/**
 * Functions and triggers, beside the module that owns them: applied on every start (`create or
 * replace`), after the tables, so a database always runs the code of this version.
 */
const codeFiles = [
  'kpi/sql/events.sql',
  'kpi/sql/triggers.sql',
  'kpi/sql/fold.sql',
  'kpi/sql/rebuild.sql',
  'changelog/notify.sql',
  'access/audit-log.sql',
]
/** Deltas that bring an existing database's tables to the current schema, each applied once. */
const deltasGlob = path.join(src, 'db', 'migrations', '*.sql')

const runFile = async (tx: Queryable, file: string) => {
  await tx.unsafe(await readFile(path.isAbsolute(file) ? file : path.join(src, file), 'utf8'))
}

/** Applied deltas are recorded in `schema_migrations`, in the same transaction as they run. */
function tableStorage(tx: Queryable): UmzugStorage<Queryable> {
  return {
    async executed() {
      const rows = await tx<{ name: string }[]>`select name from schema_migrations order by name`
      return rows.map((r) => r.name)
    },
    async logMigration({ name }) {
      await tx`insert into schema_migrations (name) values (${name})`
    },
    async unlogMigration({ name }) {
      await tx`delete from schema_migrations where name = ${name}`
    },
  }
}

function deltas(tx: Queryable) {
  return new Umzug<Queryable>({
    migrations: {
      glob: deltasGlob,
      // Plain SQL files: each runs as one multi-statement script.
      resolve: ({ name, path: file, context }) => ({ name, up: () => runFile(context, file!) }),
    },
    context: () => tx,
    storage: tableStorage(tx),
    logger: undefined,
  })
}

/**
 * Brings the database to this version's schema in one transaction under an advisory lock, so
 * several server processes starting together migrate once and a failure leaves nothing behind:
 * a fresh database gets the current tables (schemaFiles) and every delta is recorded as done; an
 * existing one gets the deltas it lacks (a database from before the squash has the old journal's
 * names recorded, which are simply history now); then the code files. Returns the deltas applied.
 */
export async function migrate(sql: Sql): Promise<string[]> {
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('citydeck:migrations'))`
    await tx`create table if not exists schema_migrations (
      name text primary key, applied_at timestamptz not null default now())`
    const [{ fresh }] = await tx<[{ fresh: boolean }]>`select to_regclass('tickets') is null as fresh`
    let applied: string[] = []
    if (fresh) {
      for (const file of schemaFiles) await runFile(tx, file)
      const names = (await deltas(tx).pending()).map((m) => m.name)
      if (names.length) await tx`insert into schema_migrations (name) select unnest(${names}::text[])`
      log.info('database created from the current schema')
    } else {
      applied = (await deltas(tx).up()).map((m) => m.name)
      if (applied.length) log.info({ applied }, 'migrations applied')
    }
    for (const file of codeFiles) await runFile(tx, file)
    return applied
  })
}

/** For the health endpoint: which deltas ran and which are waiting. */
export async function migrationStatus(sql: Sql): Promise<{ applied: string[]; pending: string[] }> {
  return sql.begin(async (tx) => {
    const umzug = deltas(tx)
    const [applied, pending] = await Promise.all([umzug.executed(), umzug.pending()])
    return { applied: applied.map((m) => m.name), pending: pending.map((m) => m.name) }
  })
}
