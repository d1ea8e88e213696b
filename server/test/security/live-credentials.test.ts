import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { disableUser, upsertUser } from '../../src/access/users'
import { startServer } from '../../src/server'
import { connected, connectLive, type Recorder, until } from '../live/support'
import { requestJson } from '../support/http'
import { startTestServer, type TestServer, testTokens } from '../support/test-server'

// docs/design.md §5: revocation is final and immediate for live sockets too, in every process, and one
// credential's live sockets are bounded.
let a: TestServer
let b: Awaited<ReturnType<typeof startServer>>
const sockets: Recorder[] = []

beforeAll(async () => {
  a = await startTestServer({ LIVE_MAX_SOCKETS_PER_CREDENTIAL: '3' })
  // A second process on the same database, as behind nginx.
  b = await startServer({ ...a.deps.config, PORT: 0 })
})
afterAll(async () => {
  for (const s of sockets) s.close()
  await b?.close()
  await a?.stop()
})

const open = async (url: string, options: Parameters<typeof connectLive>[1]) => {
  const r = connectLive(url, options)
  sockets.push(r)
  await connected(r)
  return r
}
const closed = (r: Recorder) => new Promise<void>((resolve) => r.socket.once('disconnect', () => resolve()))

describe('live sockets and revocation', () => {
  it('a revoked token loses its sockets in every process within 2 s, and cannot connect again', async () => {
    const made = await requestJson(`${a.url}/api/v1/tokens`, {
      token: testTokens.admin,
      body: { role: 'display', label: 'wall 9' },
    })
    const secret = made.body.secret as string
    const onA = await open(a.url, { token: secret })
    const onB = await open(b.url, { token: secret })
    const started = Date.now()
    const gone = Promise.all([closed(onA), closed(onB)])
    const revoked = await requestJson(`${a.url}/api/v1/tokens/${made.body.id}`, {
      method: 'DELETE',
      token: testTokens.admin,
    })
    expect(revoked.status).toBeLessThan(300)
    await gone
    expect(Date.now() - started).toBeLessThan(2000)
    await expect(connected(connectLive(a.url, { token: secret }))).rejects.toThrow(/unauthorized/)
  })

  it('a disabled user loses the sockets opened with their session cookie', async () => {
    await upsertUser(a.deps.sql, { name: 'hoa', role: 'leader', password: 'mat-khau-cua-hoa' })
    const login = await requestJson(`${a.url}/api/v1/login`, {
      body: { name: 'hoa', password: 'mat-khau-cua-hoa' },
    })
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!
    const live = await open(b.url, { headers: { cookie, origin: b.url } })
    const started = Date.now()
    const gone = closed(live)
    await disableUser(a.deps.sql, 'hoa') // what `npm run user -- disable hoa` does
    await gone
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('one credential holds at most LIVE_MAX_SOCKETS_PER_CREDENTIAL sockets in a process', async () => {
    const three = await Promise.all([1, 2, 3].map(() => open(a.url, { token: testTokens.display })))
    const fourth = connectLive(a.url, { token: testTokens.display })
    sockets.push(fourth)
    await expect(connected(fourth)).rejects.toThrow(/too many live connections/)
    // Another credential is not affected, and a place freed is a place again.
    await open(a.url, { token: testTokens.leader })
    three[0]!.close()
    await until(() => !three[0]!.socket.connected, 'the first socket closed')
    await new Promise((r) => setTimeout(r, 100))
    await open(a.url, { token: testTokens.display })
  })
})
