import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { loadConfig } from '../../server/src/config'
import { startServer } from '../../server/src/server'

export const benchTokens = {
  display: 'bench-display-secret',
  feed: 'bench-feed-secret',
  admin: 'bench-admin-secret',
} as const
export const benchSource = 'bench-source'

/**
 * A real citydeck server for the wall and briefing benchmarks (outside Vitest): embedded PostgreSQL in a
 * temporary folder, demo off, or the (empty) database in `BENCH_DATABASE_URL`. Removed by `stop()`.
 */
export async function startBenchServer(env: Record<string, string> = {}) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'citydeck-wall-bench-'))
  const config = loadConfig({
    PORT: '0',
    DEMO: '0',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    API_TOKENS: `display=${benchTokens.display},admin=${benchTokens.admin},feed:${benchSource}=${benchTokens.feed}`,
    ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
    ...env,
  })
  const server = await startServer(config)
  return {
    url: server.url,
    /** The server's own parts, for a bench that seeds through the real ingest path. */
    deps: server.deps,
    /** The demo city, when the bench asked for one (`DEMO: '1'`). */
    demo: server.demo,
    stop: async () => {
      await server.close()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}
