import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { startEmbeddedPostgres } from '../../src/db/embedded'

/**
 * One PostgreSQL for the whole run: the server named by DATABASE_URL when set (CI's second
 * pass), else an embedded PostgreSQL in a temporary folder. Each test file then creates and
 * drops its own database on it (see `test-database.ts`).
 */
export default async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) {
    project.provide('pgBaseUrl', process.env.DATABASE_URL)
    project.provide('pgKind', 'external')
    return
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'citydeck-test-pg-'))
  const cluster = await startEmbeddedPostgres({ dataDir })
  project.provide('pgBaseUrl', cluster.url('postgres'))
  project.provide('pgKind', 'embedded')
  return async () => {
    await cluster.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
}
