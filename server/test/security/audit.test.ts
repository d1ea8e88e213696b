import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { audit } from '../../src/access/audit'
import { repoRoot } from '../../src/config'
import { getJson, requestJson } from '../support/http'
import { startTestServer, type TestServer, testTokens } from '../support/test-server'

// docs/design.md §5: every token, user and snapshot action is appended (who, what, when, from where)
// and readable by admins; nothing can change or remove an entry.
const run = promisify(execFile)
const tsx = path.join(repoRoot, 'node_modules/.bin/tsx')
let server: TestServer
beforeAll(async () => {
  server = await startTestServer({ TRUSTED_PROXIES: '127.0.0.1,::1', CHROMIUM_PATH: '/nonexistent' })
})
afterAll(() => server?.stop())

const cli = (script: string, args: string[], input?: string) => {
  const child = run(tsx, [path.join(repoRoot, 'server/src/access', script), ...args], {
    env: { ...process.env, DATABASE_URL: server.db.url, LOG_LEVEL: 'silent' },
  })
  child.child.stdin!.end(input ?? '')
  return child
}
type Entry = { id: number; action: string; target: string | null; actor: string | null; role: string | null }
const entries = async (query = ''): Promise<Entry[]> =>
  (await getJson(`${server.url}/api/v1/audit${query}`, testTokens.admin)).body.items

describe('the audit log', () => {
  it('records token actions over HTTP and from the CLI, with who and from where', async () => {
    const from = { 'x-forwarded-for': '10.4.0.8' }
    const created = await requestJson(`${server.url}/api/v1/tokens`, {
      token: testTokens.admin,
      headers: from,
      body: { role: 'display', label: 'wall 3' },
    })
    const id = created.body.id
    await requestJson(`${server.url}/api/v1/tokens/${id}`, {
      method: 'DELETE',
      token: testTokens.admin,
      headers: from,
    })
    const [revoke, create] = await entries()
    expect(create).toMatchObject({
      action: 'token.create',
      target: `token:${id}`,
      actor: 'API_TOKENS',
      role: 'admin',
      tokenId: expect.any(Number),
      address: '10.4.0.8',
      detail: { role: 'display', label: 'wall 3' },
    })
    expect(JSON.stringify(create)).not.toContain(created.body.secret)
    expect(revoke).toMatchObject({ action: 'token.revoke', target: `token:${id}`, address: '10.4.0.8' })

    const { stdout } = await cli('tokens-cli.ts', ['create', 'feed:cli-audit'])
    const cliId = Number(stdout.match(/created token (\d+)/)![1])
    await cli('tokens-cli.ts', ['revoke', String(cliId)])
    const [cliRevoke, cliCreate] = await entries()
    expect(cliCreate).toMatchObject({
      action: 'token.create',
      target: `token:${cliId}`,
      role: 'cli',
      address: null,
    })
    expect(cliCreate!.actor).toMatch(/^cli:/)
    expect(cliRevoke).toMatchObject({ action: 'token.revoke', target: `token:${cliId}`, role: 'cli' })
  }, 60_000)

  it('records users added and disabled, logins, and snapshots made and revoked', async () => {
    await cli('user-cli.ts', ['add', 'thu', '--role', 'leader', '--password-stdin'], 'mật-khẩu-của-thu\n')
    const login = await requestJson(`${server.url}/api/v1/login`, {
      body: { name: 'thu', password: 'mật-khẩu-của-thu' },
      headers: { 'x-forwarded-for': '10.4.0.9' },
    })
    expect(login.status).toBe(201)
    const snapshot = await requestJson(`${server.url}/api/v1/snapshots`, {
      token: testTokens.leader,
      body: { view: 'city', filters: { preset: 'custom', from: '2026-11-27', to: '2026-11-27' } },
    })
    expect(snapshot.status).toBe(201)
    await requestJson(`${server.url}/api/v1/snapshots/${snapshot.body.id}`, {
      method: 'DELETE',
      token: testTokens.leader,
    })
    await cli('user-cli.ts', ['disable', 'thu'])
    const actions = (await entries('?limit=5')).map((e) => [e.action, e.target])
    expect(actions).toEqual([
      ['user.disable', 'user:thu'],
      ['snapshot.revoke', `snapshot:${snapshot.body.id}`],
      ['snapshot.create', `snapshot:${snapshot.body.id}`],
      ['login', 'user:thu'],
      ['user.add', 'user:thu'],
    ])
    const [, , , loginEntry] = await entries('?limit=5')
    expect(loginEntry).toMatchObject({ actor: 'thu', role: 'leader', address: '10.4.0.9' })
  }, 60_000)

  it('pages newest first with limit and before', async () => {
    for (let i = 0; i < 5; i++) {
      await audit(server.deps.sql, { principal: null, action: 'test.page', target: `n:${i}` })
    }
    const first = await getJson(`${server.url}/api/v1/audit?limit=3`, testTokens.admin)
    expect(first.body.items.map((e: Entry) => e.target)).toEqual(['n:4', 'n:3', 'n:2'])
    const next = await getJson(
      `${server.url}/api/v1/audit?limit=3&before=${first.body.nextBefore}`,
      testTokens.admin,
    )
    expect(next.body.items.slice(0, 2).map((e: Entry) => e.target)).toEqual(['n:1', 'n:0'])
    const bad = await getJson(`${server.url}/api/v1/audit?limit=0`, testTokens.admin)
    expect(bad).toMatchObject({ status: 400, body: { error: { field: 'limit' } } })
  })

  it('is for admins only, and append-only', async () => {
    expect((await getJson(`${server.url}/api/v1/audit`)).status).toBe(401)
    expect((await getJson(`${server.url}/api/v1/audit`, testTokens.leader)).status).toBe(403)
    const [latest] = await entries('?limit=1')
    for (const method of ['DELETE', 'PUT', 'PATCH']) {
      const res = await requestJson(`${server.url}/api/v1/audit/${latest!.id}`, {
        method,
        token: testTokens.admin,
      })
      expect(res.status).toBe(404)
    }
    await expect(
      server.db.sql`update audit_log set action = 'nothing' where id = ${latest!.id}`,
    ).rejects.toThrow(/append-only/)
    await expect(server.db.sql`delete from audit_log`).rejects.toThrow(/append-only/)
    await expect(server.db.sql`truncate audit_log`).rejects.toThrow(/append-only/)
    expect((await entries('?limit=1'))[0]).toEqual(latest)
  })
})
