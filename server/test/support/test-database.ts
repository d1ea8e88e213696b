import { randomBytes } from 'node:crypto'
import { inject } from 'vitest'
import { createPool, type Sql } from '../../src/db/connection'
import { migrate } from '../../src/db/migrate'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A URL on the test PostgreSQL server with rights to create databases. */
    pgBaseUrl: string
    pgKind: 'embedded' | 'external'
  }
}

export type TestDatabase = { url: string; sql: Sql; drop: () => Promise<void> }

/** A fresh, migrated database on the run's PostgreSQL, for one test file; drop it in afterAll. */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const base = inject('pgBaseUrl')
  const name = `citydeck_t_${randomBytes(5).toString('hex')}`
  const admin = createPool(base, { max: 1 })
  await admin`create database ${admin(name)}`
  const url = withDatabase(base, name)
  const sql = createPool(url)
  if (options.migrated !== false) await migrate(sql)
  return {
    url,
    sql,
    drop: async () => {
      await sql.end({ timeout: 5 })
      await admin`drop database if exists ${admin(name)} with (force)`
      await admin.end({ timeout: 5 })
    },
  }
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}
