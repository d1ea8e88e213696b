import { expect } from 'vitest'
import type { ContractContext } from './contract-fixtures'

// Cases of the contract test for reports and access: snapshots, briefings, sessions, tokens, audit.

export async function snapshots({ api }: ContractContext): Promise<void> {
  const filters = { preset: 'custom', from: '2026-11-01', to: '2026-11-28' }
  const made = await api.call('createSnapshot', 201, {
    path: '/api/v1/snapshots',
    as: 'leader',
    body: { view: 'city', filters, title: 'Giao ban' },
  })
  await api.call('createSnapshot', 400, {
    path: '/api/v1/snapshots',
    as: 'leader',
    body: { view: 'everything', filters },
  })
  await api.call('createSnapshot', 400, {
    path: '/api/v1/snapshots',
    as: 'leader',
    raw: '{"view"',
    type: 'application/json',
  })
  await api.call('createSnapshot', 415, {
    path: '/api/v1/snapshots',
    as: 'leader',
    raw: '{}',
    type: 'text/plain',
  })
  await api.call('createSnapshot', 403, {
    path: '/api/v1/snapshots',
    as: 'display',
    body: { view: 'city', filters },
  })
  await api.call('listSnapshots', 200, { path: '/api/v1/snapshots', as: 'leader' })
  await api.call('listSnapshots', 401, { path: '/api/v1/snapshots' })
  const id = made.body.id as string
  await api.call('getSnapshot', 200, { path: `/api/v1/snapshots/${id}` })
  await api.call('getSnapshot', 200, { path: `/api/v1/snapshots/${id}`, as: 'leader' })
  await api.call('getSnapshot', 404, { path: '/api/v1/snapshots/nope' })
  await api.call('getSnapshot', 404, { path: `/api/v1/snapshots/${id}.gif` })
  await api.call('getSnapshotPng', 200, { path: `/api/v1/snapshots/${id}.png` })
  await api.call('getSnapshotPdf', 200, { path: `/api/v1/snapshots/${id}.pdf` })
  await api.call('getSnapshotPdf', 404, { path: '/api/v1/snapshots/nope.pdf' })
  await api.call('revokeSnapshot', 204, { path: `/api/v1/snapshots/${id}`, as: 'leader' })
  await api.call('revokeSnapshot', 404, { path: `/api/v1/snapshots/${id}`, as: 'leader' })
  await api.call('getSnapshot', 410, { path: `/api/v1/snapshots/${id}` })
  await api.call('getSnapshotPng', 410, { path: `/api/v1/snapshots/${id}.png` })
}

export async function briefings({ api }: ContractContext): Promise<void> {
  const started = await api.call('makeBriefing', 202, { path: '/api/v1/briefings', as: 'leader' })
  await api.call('makeBriefing', 409, { path: '/api/v1/briefings', as: 'leader', body: {} })
  await api.call('makeBriefing', 400, {
    path: '/api/v1/briefings',
    as: 'leader',
    raw: '"today"',
    type: 'application/json',
  })
  await api.call('makeBriefing', 415, {
    path: '/api/v1/briefings',
    as: 'leader',
    raw: 'date=today',
    type: 'text/plain',
  })
  await api.call('makeBriefing', 422, {
    path: '/api/v1/briefings',
    as: 'leader',
    body: { date: '2999-01-01' },
  })
  await api.call('makeBriefing', 403, { path: '/api/v1/briefings', as: 'display' })
  let status = 'running'
  for (let waited = 0; status === 'running' && waited < 90_000; waited += 500) {
    await new Promise((r) => setTimeout(r, 500))
    const list = await api.call('listBriefings', 200, { path: '/api/v1/briefings', as: 'leader' })
    status = list.body.items.find((b: { day: string }) => b.day === started.body.day)?.status
  }
  expect(status).toBe('done')
  await api.call('listBriefings', 403, { path: '/api/v1/briefings', as: 'unit' })
  await api.call('getBriefingPdf', 200, { path: `/api/v1/briefings/${started.body.day}.pdf`, as: 'leader' })
  await api.call('getBriefingPdf', 404, { path: '/api/v1/briefings/2001-01-01.pdf', as: 'admin' })
  await api.call('getBriefingPdf', 403, { path: '/api/v1/briefings/2001-01-01.pdf', as: 'display' })
}

export async function sessionsAndLogin({ api, server }: ContractContext): Promise<void> {
  const path = '/api/v1/session'
  const opened = await api.call('openSession', 201, { path, body: { token: 'fuzz-display-secret-01' } })
  const cookie = opened.headers.get('set-cookie')!.split(';')[0]!
  await api.call('openSession', 400, { path, raw: 'token', type: 'application/json' })
  await api.call('openSession', 400, { path, body: { token: '' } })
  await api.call('openSession', 401, { path, body: { token: 'no-such-token-0000' } })
  await api.call('openSession', 403, { path, body: { token: 'fuzz-feed-secret-00001' } })
  await api.call('openSession', 415, { path, raw: 'token=x', type: 'application/x-www-form-urlencoded' })
  expect((await api.call('getSession', 200, { path, cookie })).body).toMatchObject({
    role: 'display',
    via: 'session',
  })
  await api.call('getSession', 200, { path, as: 'leader' })
  await api.call('getSession', 401, { path })
  await api.call('closeSession', 403, { path, cookie, headers: { origin: 'http://elsewhere.invalid' } })
  await api.call('closeSession', 204, { path, cookie })
  await api.call('getSession', 401, { path, cookie })
  const login = '/api/v1/login'
  await api.call('login', 201, { path: login, body: { name: 'lan', password: 'đúng-mật-khẩu' } })
  await api.call('login', 400, { path: login, raw: '{', type: 'application/json' })
  await api.call('login', 400, { path: login, body: { name: 'lan' } })
  await api.call('login', 415, { path: login, raw: 'name=lan', type: 'text/plain' })
  // After loginLimits.freePerPair failures of a name from one address, the next waits (429).
  let answer = 401
  for (let i = 0; i < 8 && answer === 401; i++) {
    const res = await fetch(`${server.url}${login}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.251.0.1' },
      body: JSON.stringify({ name: 'lan', password: 'sai' }),
    })
    answer = res.status
  }
  await api.call('login', 429, { path: login, body: { name: 'lan', password: 'sai' }, from: '10.251.0.1' })
}

export async function tokensAndAudit({ api }: ContractContext): Promise<void> {
  const made = await api.call('createToken', 201, {
    path: '/api/v1/tokens',
    as: 'admin',
    body: { role: 'display', label: 'màn hình 2' },
  })
  await api.call('createToken', 400, {
    path: '/api/v1/tokens',
    as: 'admin',
    raw: 'role',
    type: 'application/json',
  })
  await api.call('createToken', 415, { path: '/api/v1/tokens', as: 'admin', raw: '{}', type: 'text/plain' })
  await api.call('createToken', 422, { path: '/api/v1/tokens', as: 'admin', body: { role: 'king' } })
  await api.call('createToken', 403, { path: '/api/v1/tokens', as: 'leader', body: { role: 'display' } })
  await api.call('listTokens', 200, { path: '/api/v1/tokens', as: 'admin' })
  await api.call('listTokens', 403, { path: '/api/v1/tokens', as: 'leader' })
  await api.call('revokeToken', 204, { path: `/api/v1/tokens/${made.body.id}`, as: 'admin' })
  await api.call('revokeToken', 404, { path: `/api/v1/tokens/${made.body.id}`, as: 'admin' })
  await api.call('listAudit', 200, { path: '/api/v1/audit?limit=5', as: 'admin' })
  await api.call('listAudit', 400, { path: '/api/v1/audit?limit=0', as: 'admin' })
}
