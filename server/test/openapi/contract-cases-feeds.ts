import { expect } from 'vitest'
import { fuzzSource } from '../fuzz/target'
import { type ContractContext, iso, otherUnit, ticket, unit } from './contract-fixtures'

// The first cases of the contract test: health, metrics, city and docs, then the feeds that fill
// the database the later cases read (tickets ct-1, ct-2, ct-late; dossier cd-1; task ck-1).

export async function operationsCityAndDocs({ api }: ContractContext): Promise<void> {
  // Up, or degraded on a loaded machine (a probe slower than 1 s): both are 200.
  const plain = await api.call('getHealth', 200, { path: '/api/v1/health' })
  expect(Object.keys(plain.body)).toEqual(['status'])
  const detailed = await api.call('getHealth', 200, { path: '/api/v1/health', as: 'admin' })
  expect(detailed.body.database.status).toBe('up')
  await api.call('getHealth', 200, { path: '/api/v1/health', as: 'metrics' })
  await api.call('getMetrics', 200, { path: '/metrics', as: 'metrics' })
  await api.call('getMetrics', 401, { path: '/metrics' })
  await api.call('getMetrics', 403, { path: '/metrics', as: 'display' })
  await api.call('getCity', 200, { path: '/api/v1/city' })
  await api.call('getOpenApiDocument', 200, { path: '/api/v1/openapi.json' })
  await api.call('getApiReference', 200, { path: '/api/docs' })
  await api.call('getApiReferenceScript', 200, { path: '/api/docs/scalar.js' })
  await api.call('getApiReferenceStart', 200, { path: '/api/docs/start.js' })
}

export async function feeds({ api }: ContractContext): Promise<void> {
  const path = '/api/v1/feeds/tickets'
  await api.call('ingestTickets', 201, { path, as: 'feed', body: ticket('ct-1') })
  await api.call('ingestTickets', 200, {
    path,
    as: 'feed',
    // ct-late is due in a second: its overdue alert is acknowledged below.
    body: [ticket('ct-2', { unit: otherUnit }), ticket('ct-late', { dueAt: iso(1000) }), { ref: 'bad' }],
  })
  await api.call('ingestTickets', 400, { path, as: 'feed', raw: '[{"ref":', type: 'application/json' })
  await api.call('ingestTickets', 401, { path, body: ticket('ct-x') })
  await api.call('ingestTickets', 403, { path, as: 'display', body: ticket('ct-x') })
  await api.call('ingestTickets', 403, { path, as: 'feed', body: ticket('ct-x', { source: 'other' }) })
  await api.call('ingestTickets', 413, {
    path,
    as: 'feed',
    raw: `[${'{},'.repeat(10_000)}{}]`,
    type: 'application/json',
  })
  await api.call('ingestTickets', 415, { path, as: 'feed', raw: 'ref=1', type: 'text/plain' })
  await api.call('ingestTickets', 422, { path, as: 'feed', body: ticket('ct-x', { category: 'karaoke' }) })
  for (const feed of ['Dossiers', 'Surveys', 'Procedures', 'Tasks']) {
    const feedPath = `/api/v1/feeds/${feed.toLowerCase()}`
    await api.call(`ingest${feed}`, 401, { path: feedPath, body: {} })
    await api.call(`ingest${feed}`, 422, {
      path: feedPath,
      as: 'feed',
      body: { source: fuzzSource, ref: 'x' },
    })
  }
  const at = iso(-3_600_000)
  await api.call('ingestDossiers', 201, {
    path: '/api/v1/feeds/dossiers',
    as: 'feed',
    body: {
      source: fuzzSource,
      ref: 'cd-1',
      updatedAt: at,
      procedureCode: '1.001612',
      channel: 'online',
      status: 'received',
      receivedAt: at,
      dueAt: iso(86_400_000),
      unit,
    },
  })
  await api.call('ingestSurveys', 201, {
    path: '/api/v1/feeds/surveys',
    as: 'feed',
    body: {
      source: fuzzSource,
      ref: 'cs-1',
      updatedAt: at,
      submittedAt: at,
      score: 5,
      subject: { kind: 'ticket', source: fuzzSource, ref: 'ct-1' },
    },
  })
  await api.call('ingestProcedures', 201, {
    path: '/api/v1/feeds/procedures',
    as: 'feed',
    body: {
      source: fuzzSource,
      ref: '1.001612',
      updatedAt: at,
      code: '1.001612',
      name: 'Đăng ký khai sinh',
      field: 'Hộ tịch',
      level: 'full',
      provincialPortal: true,
      nationalPortal: true,
      feeBearing: false,
    },
  })
  await api.call('ingestTasks', 201, {
    path: '/api/v1/feeds/tasks',
    as: 'feed',
    body: {
      source: fuzzSource,
      ref: 'ck-1',
      updatedAt: at,
      title: 'Dọn rác',
      unit,
      issuedBy: 'Chủ tịch',
      issuedAt: at,
      dueAt: iso(86_400_000),
      status: 'assigned',
      priority: 'normal',
    },
  })
}

export async function badBearerTokens({ api }: ContractContext): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await api.call('listTickets', 401, { path: '/api/v1/tickets', as: 'unknown', from: '10.250.0.1' })
  }
  const throttled = await api.call('listTickets', 429, {
    path: '/api/v1/tickets',
    as: 'unknown',
    from: '10.250.0.1',
  })
  expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0)
}
