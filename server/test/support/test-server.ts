import { type Config, loadConfig } from '../../src/config'
import { type RunningServer, startServer } from '../../src/server'
import { createTestDatabase, type TestDatabase } from './test-database'

/** Tokens every test server accepts (docs/design.md §5 `API_TOKENS` format). */
export const testTokens = {
  admin: 'test-admin-secret',
  leader: 'test-leader-secret',
  display: 'test-display-secret',
  feed: 'test-feed-secret',
} as const
export const testFeedSource = 'test-source'

export type TestServer = RunningServer & { db: TestDatabase; stop: () => Promise<void> }

/** A real citydeck server on a random port over its own fresh database, demo off. */
export async function startTestServer(
  env: Record<string, string> = {},
  options: { clock?: () => Date; db?: TestDatabase } = {},
): Promise<TestServer> {
  const db = options.db ?? (await createTestDatabase())
  const config: Config = loadConfig({
    PORT: '0',
    DEMO: '0',
    LOG_LEVEL: 'silent',
    API_TOKENS: [
      `admin=${testTokens.admin}`,
      `leader=${testTokens.leader}`,
      `display=${testTokens.display}`,
      `feed:${testFeedSource}=${testTokens.feed}`,
    ].join(','),
    ...env,
    DATABASE_URL: db.url,
  })
  const server = await startServer(config, options)
  return {
    ...server,
    db,
    stop: async () => {
      await server.close()
      if (!options.db) await db.drop()
    },
  }
}
