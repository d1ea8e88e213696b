import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config'
import { startServer } from '../src/server'
import { getJson, requestJson } from './support/http'
import { sampleTicket } from './support/items'
import { startTestServer, type TestServer, testTokens } from './support/test-server'

const run = promisify(execFile)
const cli = path.resolve(__dirname, '../src/access/tokens-cli.ts')
const tsx = path.resolve(__dirname, '../../node_modules/.bin/tsx')
let server: TestServer

beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server?.stop())

const tokensCli = (args: string[], env: Record<string, string>) =>
  run(tsx, [cli, ...args], { env: { ...process.env, LOG_LEVEL: 'silent', ...env } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  )
const ticket = (source: string, ref: string) => sampleTicket(ref, { source })

describe('/api/v1/tokens (admin)', () => {
  it('creates a token whose secret works once shown, lists it without the secret, and revokes it', async () => {
    const created = await requestJson(`${server.url}/api/v1/tokens`, {
      token: testTokens.admin,
      body: { role: 'feed:hotline', label: 'hotline 1022' },
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      role: 'feed:hotline',
      label: 'hotline 1022',
      secret: expect.stringMatching(/^cd_/),
    })
    const { id, secret } = created.body

    const ingest = (token: string, source: string) =>
      requestJson(`${server.url}/api/v1/feeds/tickets`, { token, body: ticket(source, `t-${id}`) })
    expect((await ingest(secret, 'hotline')).status).toBe(201)
    expect((await ingest(secret, 'other')).status).toBe(403)
    // A feed key reads nothing.
    expect((await getJson(`${server.url}/api/v1/tickets`, secret)).status).toBe(403)

    const list = await getJson(`${server.url}/api/v1/tokens`, testTokens.admin)
    const listed = list.body.items.find((t: { id: number }) => t.id === id)
    expect(listed).toMatchObject({ role: 'feed:hotline', seeded: false, revokedAt: null })
    expect(JSON.stringify(list.body)).not.toContain(secret)
    const [stored] = await server.db
      .sql`select encode(secret_hash, 'hex') as h from access_tokens where id = ${id}`
    expect(stored!.h).toHaveLength(64)
    expect(stored!.h).not.toContain(secret)

    const revoke = await requestJson(`${server.url}/api/v1/tokens/${id}`, {
      method: 'DELETE',
      token: testTokens.admin,
    })
    expect(revoke.status).toBe(204)
    expect((await ingest(secret, 'hotline')).status).toBe(401)
    expect(
      (await requestJson(`${server.url}/api/v1/tokens/${id}`, { method: 'DELETE', token: testTokens.admin }))
        .status,
    ).toBe(404)
  })

  it('is for admins only and checks the role', async () => {
    for (const token of [testTokens.leader, testTokens.display, testTokens.feed]) {
      expect((await getJson(`${server.url}/api/v1/tokens`, token)).status).toBe(403)
    }
    expect((await getJson(`${server.url}/api/v1/tokens`)).status).toBe(401)
    const bad = await requestJson(`${server.url}/api/v1/tokens`, {
      token: testTokens.admin,
      body: { role: 'king' },
    })
    expect(bad).toMatchObject({ status: 422, body: { error: { field: 'role' } } })
  })
})

describe('npm run tokens (CLI)', () => {
  it('creates, lists and revokes tokens on the database the server uses', async () => {
    const env = { DATABASE_URL: server.db.url }
    const created = await tokensCli(['create', 'feed:cli-src', '--label', 'from the shell'], env)
    expect(created.code).toBe(0)
    const id = Number(created.stdout.match(/created token (\d+)/)![1])
    const secret = created.stdout.match(/secret \(shown once\): (\S+)/)![1]!
    const ingest = await requestJson(`${server.url}/api/v1/feeds/tickets`, {
      token: secret,
      body: ticket('cli-src', 'cli-1'),
    })
    expect(ingest.status).toBe(201)

    const list = await tokensCli(['list'], env)
    expect(list.stdout).toMatch(new RegExp(`^${id}\\tfeed:cli-src\\tfrom the shell\\t.*\\tlive$`, 'm'))
    expect(list.stdout).not.toContain(secret)

    expect((await tokensCli(['revoke', String(id)], env)).stdout).toContain(`revoked token ${id}`)
    expect(
      (await requestJson(`${server.url}/api/v1/feeds/tickets`, { token: secret, body: [] })).status,
    ).toBe(401)
    expect((await tokensCli(['create', 'emperor'], env)).stderr).toContain('is not a role')
  })

  it('shares the embedded PostgreSQL of a running server, and leaves it running', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'citydeck-cli-'))
    const running = await startServer(
      loadConfig({ PORT: '0', DEMO: '0', LOG_LEVEL: 'silent', DATA_DIR: dataDir }),
    )
    let closed = false
    try {
      const pidFile = path.join(dataDir, 'pg/postmaster.pid')
      const pgPid = Number((await readFile(pidFile, 'utf8')).split('\n')[0])
      const result = await tokensCli(['create', 'display', '--label', 'wall 2'], {
        DATA_DIR: dataDir,
        DATABASE_URL: '',
      })
      expect(result.code, result.stderr).toBe(0)
      const secret = result.stdout.match(/secret \(shown once\): (\S+)/)![1]!
      // The running server knows the new token at once, and still has its database.
      const kpis = await fetch(`${running.url}/api/v1/kpis`, {
        headers: { authorization: `Bearer ${secret}` },
      })
      expect(kpis.status).toBe(200)
      expect(process.kill(pgPid, 0)).toBe(true)
      // The server, not the tool, stops the cluster.
      await running.close()
      closed = true
      expect(() => process.kill(pgPid, 0)).toThrow()
    } finally {
      if (!closed) await running.close()
      await rm(dataDir, { recursive: true, force: true })
    }
  }, 60_000)
})
