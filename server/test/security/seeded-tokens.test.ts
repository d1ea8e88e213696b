import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parseApiTokens } from '../../src/access/api-tokens'
import { ConfigError, repoRoot } from '../../src/config'
import { getJson, requestJson } from '../support/http'
import { createTestDatabase, type TestDatabase } from '../support/test-database'
import { startTestServer, type TestServer, testTokens } from '../support/test-server'

// docs/design.md §5: the environment seeds tokens, it does not resurrect them.
let db: TestDatabase | undefined
let server: TestServer | undefined
afterAll(async () => {
  await server?.stop()
  await db?.drop()
})

describe('seeded tokens (API_TOKENS)', () => {
  it('stay revoked across a restart with the same API_TOKENS', async () => {
    db = await createTestDatabase()
    server = await startTestServer({}, { db })
    const list = await getJson(`${server.url}/api/v1/tokens`, testTokens.admin)
    const display = list.body.items.find(
      (t: { role: string; seeded: boolean }) => t.seeded && t.role === 'display',
    )
    expect(display).toBeTruthy()
    const revoked = await requestJson(`${server.url}/api/v1/tokens/${display.id}`, {
      method: 'DELETE',
      token: testTokens.admin,
    })
    expect(revoked.status).toBe(204)
    expect((await getJson(`${server.url}/api/v1/kpis`, testTokens.display)).status).toBe(401)

    await server.stop()
    server = await startTestServer({}, { db })
    expect((await getJson(`${server.url}/api/v1/kpis`, testTokens.display)).status).toBe(401)
    const after = await getJson(`${server.url}/api/v1/tokens`, testTokens.admin)
    const again = after.body.items.find((t: { id: number }) => t.id === display.id)
    expect(again.revokedAt).not.toBeNull()
    // The other seeded tokens still work, and no second row was made for the revoked secret.
    expect((await getJson(`${server.url}/api/v1/kpis`, testTokens.leader)).status).toBe(200)
    expect(after.body.items.filter((t: { role: string }) => t.role === 'display')).toHaveLength(1)
  })

  it('refuses seed secrets shorter than 16 characters, naming API_TOKENS but not the secret', () => {
    const attempt = () => parseApiTokens('admin=0123456789abcdef,display=s3cret')
    expect(attempt).toThrow(ConfigError)
    expect(attempt).toThrow(/^config: API_TOKENS .*display.* 16 characters/)
    expect(attempt).not.toThrow(/s3cret/)
    expect(parseApiTokens('feed:phanthiet-s=0123456789abcdef')).toEqual([
      { role: 'feed:phanthiet-s', secret: '0123456789abcdef' },
    ])
  })

  it('stops `npm start` with one line when a seed secret is short', async () => {
    const { DATABASE_URL: _ignored, ...env } = process.env
    const dataDir = await mkdtemp(path.join(tmpdir(), 'citydeck-seed-'))
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'server/src/main.ts')], {
      env: { ...env, DEMO: '0', LOG_LEVEL: 'warn', PORT: '0', DATA_DIR: dataDir, API_TOKENS: 'admin=k3y' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
    // A server that starts anyway is stopped (SIGTERM stops its embedded PostgreSQL too).
    const started = setTimeout(() => child.kill('SIGTERM'), 20_000)
    const code = await exited
    clearTimeout(started)
    await rm(dataDir, { recursive: true, force: true })
    expect(code).toBe(1)
    const lines = output.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^citydeck: config: API_TOKENS .*admin.*at least 16 characters/)
    expect(lines[0]).not.toContain('k3y')
  })
})
