import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { upsertUser } from '../../src/access/users'
import { clientAddress } from '../../src/http/client-address'
import { requestJson } from '../support/http'
import { startTestServer, type TestServer, testTokens } from '../support/test-server'

// docs/design.md §5: no one can lock someone else out. The test talks to the server from 127.0.0.1,
// a trusted proxy here, so X-Forwarded-For plays the clients' addresses; time is injected.
let now = Date.parse('2026-11-28T08:00:00+07:00')
const clock = () => new Date(now)
let proxied: TestServer
let direct: TestServer
beforeAll(async () => {
  proxied = await startTestServer({ TRUSTED_PROXIES: '127.0.0.1,::1' }, { clock })
  direct = await startTestServer({}, { clock })
  for (const s of [proxied, direct]) {
    await upsertUser(s.deps.sql, { name: 'lan', role: 'leader', password: 'mật-khẩu-của-lan' })
  }
})
afterAll(async () => {
  await proxied?.stop()
  await direct?.stop()
})

const login = (server: TestServer, name: string, password: string, from?: string) =>
  requestJson(`${server.url}/api/v1/login`, {
    body: { name, password },
    headers: from ? { 'x-forwarded-for': from } : {},
  })
const right = 'mật-khẩu-của-lan'

describe('login throttling per (name, address)', () => {
  it('slows a guesser with a growing backoff, never the owner at another address', async () => {
    // The owner logs in from the office.
    expect((await login(proxied, 'lan', right, '10.1.0.5')).status).toBe(201)
    // Someone else guesses her password from elsewhere: five tries are free, then they wait.
    for (let i = 0; i < 5; i++)
      expect((await login(proxied, 'lan', `guess-${i}`, '10.66.0.1')).status).toBe(401)
    const slowed = await login(proxied, 'lan', 'guess-5', '10.66.0.1')
    expect(slowed.status).toBe(429)
    expect(slowed.body.error.code).toBe('too_many_attempts')
    expect(Number(slowed.headers.get('retry-after'))).toBe(1)
    // During the wait the password is not even checked: the right one gets no 201 there.
    expect((await login(proxied, 'lan', right, '10.66.0.1')).status).toBe(429)
    // The owner is never locked out by it, at her address or a new one.
    expect((await login(proxied, 'lan', right, '10.1.0.5')).status).toBe(201)
    expect((await login(proxied, 'lan', right, '10.1.0.77')).status).toBe(201)

    // Each new failure doubles the guesser's wait: 1 s, 2 s, 4 s …
    let expected = 1
    for (let round = 0; round < 4; round++) {
      now += expected * 1000
      expect((await login(proxied, 'lan', `late-${round}`, '10.66.0.1')).status).toBe(401)
      expected *= 2
      const next = await login(proxied, 'lan', `late-${round}-again`, '10.66.0.1')
      expect(next.status).toBe(429)
      expect(Number(next.headers.get('retry-after'))).toBe(expected)
    }
    // The owner's success did not forgive the guesser's failures.
    expect((await login(proxied, 'lan', right, '10.1.0.5')).status).toBe(201)
    expect((await login(proxied, 'lan', 'x', '10.66.0.1')).status).toBe(429)
  }, 90_000) // every try that is not throttled runs scrypt (~0.3 s, more on a busy machine)

  it('slows an address that sprays many names, except for names that logged in from it', async () => {
    await upsertUser(proxied.deps.sql, { name: 'minh', role: 'admin', password: 'mật-khẩu-của-minh' })
    expect((await login(proxied, 'minh', 'mật-khẩu-của-minh', '10.2.0.9')).status).toBe(201)
    // Twenty failures for twenty names from one address (an office behind one NAT).
    for (let i = 0; i < 20; i++)
      expect((await login(proxied, `user-${i}`, 'Password1', '10.2.0.9')).status).toBe(401)
    expect((await login(proxied, 'user-99', 'Password1', '10.2.0.9')).status).toBe(429)
    // Minh logs in from there every day: not slowed by the sprayer beside him.
    expect((await login(proxied, 'minh', 'mật-khẩu-của-minh', '10.2.0.9')).status).toBe(201)
  }, 90_000)

  it('takes X-Forwarded-For only from a trusted proxy', async () => {
    // `direct` trusts no proxy: every attempt is from 127.0.0.1, whatever the header claims.
    for (let i = 0; i < 5; i++) {
      expect((await login(direct, 'lan', `spoof-${i}`, `10.7.0.${i}`)).status).toBe(401)
    }
    expect((await login(direct, 'lan', right, '10.7.0.200')).status).toBe(429)
    const [row] = await direct.db.sql<{ ips: string[] }[]>`
      select array_agg(distinct ip) as ips from login_failures where name = 'lan'`
    expect(row!.ips).toEqual(['127.0.0.1'])
  })
})

describe('failed bearer attempts', () => {
  it('answer 429 with Retry-After past 20 a minute from one address, sparing other addresses', async () => {
    const get = (token: string, from: string) =>
      requestJson(`${proxied.url}/api/v1/kpis`, { token, headers: { 'x-forwarded-for': from } })
    for (let i = 0; i < 20; i++)
      expect((await get(`guess-${i}-0123456789abcdef`, '10.3.0.1')).status).toBe(401)
    const throttled = await get('guess-20-0123456789abcdef', '10.3.0.1')
    expect(throttled.status).toBe(429)
    expect(throttled.body.error.code).toBe('too_many_attempts')
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0)
    // Another address is not affected, and the feed and Open311 doors share the same counter.
    expect((await get(testTokens.display, '10.3.0.2')).status).toBe(200)
    const feed = await requestJson(`${proxied.url}/api/v1/feeds/tickets`, {
      token: 'guess-21-0123456789abcdef',
      body: [],
      headers: { 'x-forwarded-for': '10.3.0.1' },
    })
    expect(feed.status).toBe(429)
    // A minute later the address may try again.
    now += 61_000
    expect((await get(testTokens.display, '10.3.0.1')).status).toBe(200)
  })
})

describe('clientAddress', () => {
  it('reads X-Forwarded-For from the right, skipping trusted proxies', () => {
    const trusted = ['127.0.0.1', '10.0.0.0/8']
    expect(clientAddress(trusted, { peer: '::ffff:127.0.0.1', forwardedFor: '1.2.3.4, 10.0.0.2' })).toBe(
      '1.2.3.4',
    )
    // What the client wrote itself at the left end is not believed.
    expect(clientAddress(trusted, { peer: '127.0.0.1', forwardedFor: '6.6.6.6, 5.5.5.5' })).toBe('5.5.5.5')
    expect(clientAddress(trusted, { peer: '8.8.8.8', forwardedFor: '1.2.3.4' })).toBe('8.8.8.8')
    expect(clientAddress([], { peer: '127.0.0.1', forwardedFor: '1.2.3.4' })).toBe('127.0.0.1')
    expect(clientAddress(['::1'], { peer: '::1', forwardedFor: '2001:db8::7' })).toBe('2001:db8::7')
  })
})
