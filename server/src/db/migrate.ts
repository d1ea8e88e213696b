import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Umzug, type UmzugStorage } from 'umzug'
import { logger } from '../observability/logger'
import type { Sql } from './connection'

const migrationsGlob = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations', '*.sql')
const log = logger.child({ module: 'migrations' })

/** Executed migrations are recorded in `schema_migrations`, in the same transaction as they run. */
function tableStorage(tx: Sql): UmzugStorage<Sql> {
  return {
    async executed() {
      await tx`create table if not exists schema_migrations (
        name text primary key, applied_at timestamptz not null default now())`
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

function migrator(tx: Sql) {
  return new Umzug<Sql>({
    migrations: {
      glob: migrationsGlob,
      // Plain SQL files: each runs as one multi-statement script.
      resolve: ({ name, path: file, context }) => ({
        name,
        up: async () => {
          const { readFile } = await import('node:fs/promises')
          await context.unsafe(await readFile(file!, 'utf8'))
        },
      }),
    },
    context: () => tx,
    storage: tableStorage(tx),
    logger: undefined,
  })
}

/**
 * Applies pending migrations in one transaction under an advisory lock, so several server
 * processes starting together migrate once, and a failing migration leaves nothing behind.
 */
export async function migrate(sql: Sql): Promise<string[]> {
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('citydeck:migrations'))`
    const applied = await migrator(tx as unknown as Sql).up()
    const names = applied.map((m) => m.name)
    if (names.length) log.info({ applied: names }, 'migrations applied')
    return names
  }) as Promise<string[]>
}

/** For the health endpoint: which migrations ran and which are waiting. */
export async function migrationStatus(sql: Sql): Promise<{ applied: string[]; pending: string[] }> {
  return sql.begin(async (tx) => {
    const umzug = migrator(tx as unknown as Sql)
    const [applied, pending] = await Promise.all([umzug.executed(), umzug.pending()])
    return { applied: applied.map((m) => m.name), pending: pending.map((m) => m.name) }
  }) as Promise<{ applied: string[]; pending: string[] }>
}
