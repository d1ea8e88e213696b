import { existsSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { upsertUser } from '../../src/access/users'
import { createApp } from '../../src/app'
import { repoRoot } from '../../src/config'
import { fuzzServerEnv, fuzzSource, fuzzUnit } from '../fuzz/target'
import { inPhuTrinh } from '../support/items'
import { startTestServer, type TestServer } from '../support/test-server'
import { appRoutes, documentedOperations } from './app-routes'
import { ContractClient } from './contract-client'
import { DocumentCheck, type OpenApiDoc } from './document-check'

// Issue #18: a real request to every operation of the OpenAPI document, on a real server and
// PostgreSQL, each answer checked against the document (status, content type, body schema);
// and the app's routes and the document's operations are the same set.

let server: TestServer
let check: DocumentCheck
let api: ContractClient
const unit = fuzzUnit()
const otherUnit = 'ubnd-22930'
const now = Date.now()
const iso = (ms: number) => new Date(now + ms).toISOString()
const ticket = (ref: string, over: Record<string, unknown> = {}) => ({
  source: fuzzSource,
  ref,
  updatedAt: iso(-3_600_000),
  category: 'waste',
  title: 'Rác tồn đọng',
  location: inPhuTrinh,
  status: 'received',
  unit,
  receivedAt: iso(-3_600_000),
  reporter: { name: 'Nguyễn Văn A', phone: '0909000000' },
  ...over,
})

beforeAll(async () => {
  // The built client, not the fuzz stand-in: snapshots and briefings are printed from its pages.
  const { CLIENT_DIST: _, ...env } = fuzzServerEnv()
  if (!existsSync(path.join(repoRoot, 'client/dist/index.html'))) {
    throw new Error(
      'the contract test prints snapshots from the built client: run node scripts/client-build.mjs',
    )
  }
  server = await startTestServer({ ...env, BRIEFING_SCHEDULE: '' })
  await upsertUser(server.deps.sql, { name: 'lan', role: 'leader', password: 'đúng-mật-khẩu' })
  const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as OpenApiDoc
  check = new DocumentCheck(doc)
  check.compileAll()
  api = new ContractClient(server.url, check)
  // The compiling above held the event loop: let the database watch probe again before the cases.
  for (let waited = 0; !server.deps.database.isUp && waited < 20_000; waited += 100) {
    await new Promise((r) => setTimeout(r, 100))
  }
}, 120_000)
afterAll(() => server?.stop())

describe('the OpenAPI document and the app', () => {
  it('document exactly the same routes (Open311 and the client files aside)', () => {
    const documented = new Set(documentedOperations(check.doc))
    const routes = appRoutes(createApp(server.deps))
    for (const { route, operations } of routes) {
      for (const op of operations) {
        expect(
          documented.has(op),
          `the app has a route the OpenAPI document lacks: ${route} (as ${op}); describe it in server/src/http/openapi/`,
        ).toBe(true)
      }
    }
    const served = new Set(routes.flatMap((r) => r.operations))
    for (const op of documented) {
      expect(served.has(op), `the OpenAPI document has ${op}, which the app does not serve`).toBe(true)
    }
  })

  it('gives every operation an operationId, once, and examples that fit their schemas', () => {
    expect(check.operations.size).toBe(documentedOperations(check.doc).length)
    expect(check.exampleProblems()).toEqual([])
  })
})

describe('every operation, answered as documented', () => {
  it('operations, city and docs', async () => {
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
  })

  it('feeds', async () => {
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
  })

  it('bad bearer tokens from one address: 401, then 429', async () => {
    for (let i = 0; i < 20; i++) {
      await api.call('listTickets', 401, { path: '/api/v1/tickets', as: 'unknown', from: '10.250.0.1' })
    }
    const throttled = await api.call('listTickets', 429, {
      path: '/api/v1/tickets',
      as: 'unknown',
      from: '10.250.0.1',
    })
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0)
  })

  it('items', async () => {
    const page = await api.call('listTickets', 200, { path: '/api/v1/tickets?limit=1', as: 'leader' })
    expect(page.body.items[0].reporter).toBeDefined()
    await api.call('listTickets', 200, { path: `/api/v1/tickets?cursor=${page.body.nextCursor}`, as: 'unit' })
    const ward = await api.call('listTickets', 400, { path: '/api/v1/tickets?ward=99999', as: 'leader' })
    expect(ward.body.error.field).toBe('ward')
    await api.call('listTickets', 400, { path: '/api/v1/tickets?cursor=nope', as: 'leader' })
    await api.call('listTickets', 401, { path: '/api/v1/tickets' })
    await api.call('listTickets', 403, { path: '/api/v1/tickets', as: 'display' })
    await api.call('listTickets', 403, { path: `/api/v1/tickets?unit=${otherUnit}`, as: 'unit' })
    await api.call('getTicket', 200, { path: `/api/v1/tickets/${fuzzSource}/ct-1`, as: 'leader' })
    await api.call('getTicket', 403, { path: `/api/v1/tickets/${fuzzSource}/ct-2`, as: 'unit' })
    await api.call('getTicket', 404, { path: `/api/v1/tickets/${fuzzSource}/none`, as: 'leader' })
    await api.call('listDossiers', 200, { path: '/api/v1/dossiers', as: 'unit' })
    await api.call('listDossiers', 400, { path: '/api/v1/dossiers?ward=99999', as: 'leader' })
    await api.call('getDossier', 200, { path: `/api/v1/dossiers/${fuzzSource}/cd-1`, as: 'admin' })
    await api.call('getDossier', 404, { path: `/api/v1/dossiers/${fuzzSource}/none`, as: 'admin' })
    await api.call('listProcedures', 200, { path: '/api/v1/procedures', as: 'unit' })
    await api.call('listProcedures', 403, { path: '/api/v1/procedures', as: 'display' })
  })

  it('KPIs', async () => {
    await api.call('getKpis', 200, { path: '/api/v1/kpis', as: 'display' })
    await api.call('getKpis', 200, {
      path: `/api/v1/kpis?from=${encodeURIComponent(iso(-86_400_000))}&ward=22930`,
      as: 'leader',
    })
    await api.call('getKpis', 400, { path: '/api/v1/kpis?ward=99999', as: 'leader' })
    await api.call('getKpis', 401, { path: '/api/v1/kpis' })
    await api.call('getKpis', 403, { path: '/api/v1/kpis', as: 'feed' })
    for (const by of ['ward', 'unit', 'category', 'procedure', 'field', 'day', 'hour']) {
      await api.call('getKpiBreakdown', 200, { path: `/api/v1/kpis/breakdown?by=${by}`, as: 'display' })
    }
    await api.call('getKpiBreakdown', 400, { path: '/api/v1/kpis/breakdown', as: 'display' })
    await api.call('getUnitScorecard', 200, { path: '/api/v1/units/scorecard', as: 'leader' })
    await api.call('getUnitScorecard', 400, { path: '/api/v1/units/scorecard?from=yesterday', as: 'leader' })
    const day = new Date(now).toISOString().slice(0, 10)
    const leaderView = `/api/v1/leader-view?view=city&preset=custom&from=${day}&to=${day}`
    await api.call('getLeaderView', 200, { path: leaderView, as: 'leader' })
    await api.call('getLeaderView', 200, { path: `${leaderView}&ward=22930`, as: 'display' })
    await api.call('getLeaderView', 200, {
      path: leaderView.replace('view=city', 'view=dossiers'),
      as: 'unit',
    })
    await api.call('getLeaderView', 400, { path: '/api/v1/leader-view?view=wall', as: 'leader' })
    await api.call('getLeaderView', 401, { path: leaderView })
    await api.call('getLeaderView', 403, { path: leaderView, as: 'feed' })
  })

  it('direction', async () => {
    const made = await api.call('issueDirective', 201, {
      path: '/api/v1/directives',
      as: 'leader',
      body: { unit, instruction: 'Thu gom rác trước chợ', priority: 'urgent' },
    })
    await api.call('issueDirective', 400, {
      path: '/api/v1/directives',
      as: 'leader',
      raw: '{',
      type: 'application/json',
    })
    await api.call('issueDirective', 415, {
      path: '/api/v1/directives',
      as: 'leader',
      raw: '{}',
      type: 'text/plain',
    })
    await api.call('issueDirective', 422, {
      path: '/api/v1/directives',
      as: 'leader',
      body: { instruction: 'x' },
    })
    await api.call('issueDirective', 403, {
      path: '/api/v1/directives',
      as: 'display',
      body: { unit, instruction: 'x' },
    })
    const task = `/api/v1/tasks/${made.body.source}/${made.body.ref}`
    await api.call('listTasks', 200, { path: '/api/v1/tasks', as: 'unit' })
    await api.call('listTasks', 400, { path: '/api/v1/tasks?ward=99999', as: 'leader' })
    await api.call('listTasks', 403, { path: `/api/v1/tasks?unit=${otherUnit}`, as: 'unit' })
    await api.call('getTask', 200, { path: task, as: 'unit' })
    await api.call('getTask', 404, { path: '/api/v1/tasks/citydeck/none', as: 'leader' })
    const reports = `${task}/reports`
    await api.call('reportOnTask', 200, {
      path: reports,
      as: 'unit',
      body: { status: 'in_progress', progress: 40, note: 'Đang xử lý' },
    })
    await api.call('reportOnTask', 400, { path: reports, as: 'unit', raw: 'note', type: 'application/json' })
    await api.call('reportOnTask', 415, {
      path: reports,
      as: 'unit',
      raw: 'note=x',
      type: 'application/x-www-form-urlencoded',
    })
    await api.call('reportOnTask', 422, { path: reports, as: 'unit', body: { progress: 101, note: 'x' } })
    await api.call('reportOnTask', 404, {
      path: '/api/v1/tasks/citydeck/none/reports',
      as: 'leader',
      body: { note: 'x' },
    })
    await api.call('reportOnTask', 200, { path: reports, as: 'unit', body: { status: 'done', note: 'Xong' } })
    await api.call('reportOnTask', 409, { path: reports, as: 'unit', body: { note: 'Lại' } })
  })

  it('alerts', async () => {
    const ack = `/api/v1/alerts/ticket_overdue/${fuzzSource}/ct-late/ack`
    for (let waited = 0; waited < 20_000; waited += 200) {
      const [row] = await server.deps
        .sql`select count(*)::int as n from alerts where item_id = ${`${fuzzSource}:ct-late`}`
      if (row!.n > 0) break
      await new Promise((r) => setTimeout(r, 200))
    }
    await api.call('acknowledgeAlert', 400, { path: ack, as: 'leader', raw: '', type: 'application/json' })
    await api.call('acknowledgeAlert', 415, { path: ack, as: 'leader', raw: '{}' })
    await api.call('acknowledgeAlert', 422, {
      path: ack,
      as: 'leader',
      body: { directive: { instruction: '' } },
    })
    const acked = await api.call('acknowledgeAlert', 200, {
      path: ack,
      as: 'leader',
      body: { note: 'Đã giao phường', directive: { unit, instruction: 'Xử lý trong 4 giờ' } },
    })
    expect(acked.body.directed.unit).toBe(unit)
    await api.call('acknowledgeAlert', 404, {
      path: `/api/v1/alerts/ticket_overdue/${fuzzSource}/ct-1/ack`,
      as: 'leader',
      body: {},
    })
    await api.call('acknowledgeAlert', 404, {
      path: `/api/v1/alerts/fire/${fuzzSource}/ct-1/ack`,
      as: 'leader',
      body: {},
    })
  })
})

describe('every operation, answered as documented (reports and access)', () => {
  it('snapshots, as data and printed', async () => {
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
  }, 120_000)

  it('briefings, made on request', async () => {
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
  }, 120_000)

  it('sessions and login', async () => {
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
  }, 90_000)

  it('tokens and the audit log', async () => {
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
  })

  it('covered every operation with a success and at least one error where it has one', () => {
    const missing: string[] = []
    for (const [operationId, { operation }] of check.operations) {
      const seen = [...(api.covered.get(operationId) ?? [])]
      if (!seen.some((s) => s < 300)) missing.push(`no successful request to ${operationId}`)
      const documentsError = Object.keys(operation.responses).some((s) => s.startsWith('4'))
      if (documentsError && !seen.some((s) => s >= 400)) missing.push(`no error answer from ${operationId}`)
    }
    expect(missing).toEqual([])
  })
})
