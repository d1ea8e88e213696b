import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connected, connectLive, type Recorder, until } from '../live/support'
import { requestJson } from '../support/http'
import { inPhuTrinh, sampleTicket } from '../support/items'
import { startTestServer, type TestServer, testFeedSource, testTokens } from '../support/test-server'

// The direction loop (docs/design.md §9, §5): a leader directs a unit, the unit reports back, alerts
// become owned work. Real server, real sockets; the clock is injected for escalation.
const units = { phuTrinh: 'ubnd-22930', other: 'ubnd-22915' }
const unitTokens = { phuTrinh: 'test-unit-phu-trinh-secret', other: 'test-unit-mui-ne-secret-0' }
let now = Date.now()
let server: TestServer
const sockets: Recorder[] = []

beforeAll(async () => {
  server = await startTestServer(
    {
      API_TOKENS: [
        `admin=${testTokens.admin}`,
        `leader=${testTokens.leader}`,
        `display=${testTokens.display}`,
        `feed:${testFeedSource}=${testTokens.feed}`,
        `unit:${units.phuTrinh}=${unitTokens.phuTrinh}`,
        `unit:${units.other}=${unitTokens.other}`,
      ].join(','),
    },
    { clock: () => new Date(now) },
  )
})
afterAll(async () => {
  for (const s of sockets) s.close()
  await server?.stop()
})

const call = (path: string, token: string, body?: unknown) =>
  requestJson(`${server.url}/api/v1${path}`, { token, body })
const ticketAt = (ref: string, over: Record<string, unknown> = {}) => {
  const at = new Date(now - 60_000).toISOString()
  return sampleTicket(ref, {
    updatedAt: at,
    receivedAt: at,
    unit: units.phuTrinh,
    reporter: { name: 'Trần Thị Bình', phone: '0912345678' },
    ...over,
  })
}

describe('directives', () => {
  it('a leader directs a ticket: a task for its unit, in its ward, due in 8 hours, audited', async () => {
    expect((await call('/feeds/tickets', testTokens.feed, ticketAt('d-1'))).status).toBe(201)
    const subject = { kind: 'ticket', source: testFeedSource, ref: 'd-1' }
    const res = await call('/directives', testTokens.leader, { subject, instruction: 'Xử lý trước 15:30' })
    expect(res.status).toBe(201)
    expect(res.body.source).toBe('citydeck')
    const detail = await call(`/tasks/citydeck/${res.body.ref}`, testTokens.leader)
    expect(detail.body.item).toMatchObject({
      title: 'Xử lý trước 15:30',
      unit: units.phuTrinh,
      wardCode: '22930',
      status: 'assigned',
      issuedBy: 'API_TOKENS',
      subject,
    })
    expect(Date.parse(detail.body.item.dueAt) - Date.parse(detail.body.item.issuedAt)).toBe(8 * 3_600_000)
    const audit = await call('/audit', testTokens.admin)
    expect(audit.body.items.some((e: { action: string }) => e.action === 'directive.create')).toBe(true)
  })

  it('refuses a display, a subject that does not exist, a deadline in the past, and a missing unit', async () => {
    expect((await call('/directives', testTokens.display, { unit: 'x', instruction: 'a' })).status).toBe(403)
    const ghost = { kind: 'ticket', source: testFeedSource, ref: 'nope' }
    const missing = await call('/directives', testTokens.leader, { subject: ghost, instruction: 'a' })
    expect([missing.status, missing.body.error.field]).toEqual([422, 'subject'])
    const past = await call('/directives', testTokens.leader, {
      unit: units.phuTrinh,
      instruction: 'a',
      dueAt: new Date(now - 1000).toISOString(),
    })
    expect([past.status, past.body.error.field]).toEqual([422, 'dueAt'])
    const noUnit = await call('/directives', testTokens.leader, { instruction: 'a' })
    expect([noUnit.status, noUnit.body.error.field]).toEqual([422, 'unit'])
  })
})

describe('a unit', () => {
  it('sees its own tasks and tickets, with the reporter, and nothing of another unit', async () => {
    const mine = await call('/tasks', unitTokens.phuTrinh)
    expect(mine.status).toBe(200)
    expect(mine.body.items.length).toBeGreaterThan(0)
    expect(mine.body.items.every((t: { unit: string }) => t.unit === units.phuTrinh)).toBe(true)
    expect((await call('/tasks', unitTokens.other)).body.items).toEqual([])
    expect((await call(`/tasks?unit=${units.phuTrinh}`, unitTokens.other)).status).toBe(403)
    const task = mine.body.items[0]
    expect((await call(`/tasks/${task.source}/${task.ref}`, unitTokens.other)).status).toBe(403)
    const tickets = await call('/tickets', unitTokens.phuTrinh)
    expect(tickets.body.items.find((t: { ref: string }) => t.ref === 'd-1').reporter.phone).toBe('0912345678')
    expect((await call('/tickets', unitTokens.other)).body.items).toEqual([])
    expect((await call(`/tickets/${testFeedSource}/d-1`, unitTokens.other)).status).toBe(403)
    // Nothing a unit may not do: lists of dossiers of others, directives, tokens.
    expect((await call('/directives', unitTokens.phuTrinh, { unit: 'x', instruction: 'a' })).status).toBe(403)
    expect((await call('/tokens', unitTokens.phuTrinh)).status).toBe(403)
  })

  it('accepts, reports 50 %, then done; each report a version on the timeline; another unit may not', async () => {
    const created = await call('/directives', testTokens.leader, {
      unit: units.phuTrinh,
      instruction: 'Dọn rác',
    })
    const path = `/tasks/citydeck/${created.body.ref}/reports`
    expect((await call(path, unitTokens.other, { note: 'không phải của tôi' })).status).toBe(403)
    now += 60_000
    expect((await call(path, unitTokens.phuTrinh, { status: 'accepted', note: 'Đã nhận' })).status).toBe(200)
    now += 60_000
    expect((await call(path, unitTokens.phuTrinh, { progress: 50, note: 'Đã dọn một nửa' })).status).toBe(200)
    now += 60_000
    const done = await call(path, unitTokens.phuTrinh, { status: 'done', note: 'Xong' })
    expect(done.body.item).toMatchObject({ status: 'done', progress: 100, report: 'Xong' })
    expect(
      done.body.history.map((v: { status: string; report: string | null }) => [v.status, v.report]),
    ).toEqual([
      ['assigned', null],
      ['accepted', 'Đã nhận'],
      ['in_progress', 'Đã dọn một nửa'],
      ['done', 'Xong'],
    ])
    expect((await call(path, unitTokens.phuTrinh, { note: 'lại' })).status).toBe(409)
    const bad = await call(path, unitTokens.phuTrinh, { progress: 140, note: 'x' })
    expect([bad.status, bad.body.error.field]).toEqual([422, 'progress'])
  })

  it('gets its directives live in its inbox, and may watch nothing else', async () => {
    const inbox = connectLive(server.url, { token: unitTokens.phuTrinh })
    sockets.push(inbox)
    await connected(inbox)
    expect(await inbox.subscribe({ scope: {} })).toMatchObject({ ok: false })
    expect(await inbox.subscribe({ scope: { unit: units.phuTrinh } })).toMatchObject({ ok: true })
    const res = await call('/directives', testTokens.leader, {
      unit: units.phuTrinh,
      instruction: 'Kiểm tra đèn',
    })
    const other = await call('/directives', testTokens.leader, {
      unit: units.other,
      instruction: 'Không liên quan',
    })
    await until(
      () => inbox.changes.some((c) => c.id === `citydeck:${res.body.ref}`),
      'the directive in the inbox',
      2000,
    )
    expect(inbox.changes.some((c) => c.id === `citydeck:${other.body.ref}`)).toBe(false)
  })
})

describe('alerts become owned work', () => {
  it('an overdue ticket is acknowledged, directed and shown so; an unacknowledged one escalates', async () => {
    const wall = connectLive(server.url, { token: testTokens.display })
    sockets.push(wall)
    await connected(wall)
    await wall.subscribe({ scope: {} })
    const soon = () => new Date(Date.now() + 1200).toISOString()
    const t1 = ticketAt('late-1', { dueAt: soon(), location: inPhuTrinh })
    const t2 = ticketAt('late-2', { dueAt: soon(), location: inPhuTrinh })
    await call('/feeds/tickets', testTokens.feed, [t1, t2])
    await until(
      () => wall.alerts.filter((a) => a.kind === 'ticket_overdue').length >= 2,
      'two overdue alerts',
      10_000,
    )

    const ack = await call(`/alerts/ticket_overdue/${testFeedSource}/late-1/ack`, testTokens.leader, {
      directive: { instruction: 'Xử lý ngay', priority: 'urgent' },
    })
    expect(ack.status).toBe(200)
    expect(ack.body.acknowledged.by).toBe('API_TOKENS')
    expect(ack.body.directed.unit).toBe(units.phuTrinh)
    await until(
      () => wall.alerts.some((a) => a.id.endsWith(':late-1') && a.acknowledged && a.directed),
      'the acknowledged, directed alert on the wall',
      2000,
    )
    expect(
      (await call(`/alerts/ticket_overdue/${testFeedSource}/nope/ack`, testTokens.leader, {})).status,
    ).toBe(404)
    expect(
      (await call(`/alerts/ticket_overdue/${testFeedSource}/late-2/ack`, testTokens.display, {})).status,
    ).toBe(403)

    now += 31 * 60_000
    await server.escalation.sweep()
    await until(
      () => wall.alerts.some((a) => a.id.endsWith(':late-2') && a.escalatedAt),
      'the escalation',
      2000,
    )
    expect(wall.alerts.some((a) => a.id.endsWith(':late-1') && a.escalatedAt)).toBe(false)
    const snapshot = connectLive(server.url, { token: testTokens.display })
    sockets.push(snapshot)
    await connected(snapshot)
    await snapshot.subscribe({ scope: {} })
    const current = snapshot.snapshots[0]!.alerts
    expect(current.find((a) => a.id.endsWith(':late-1'))).toMatchObject({
      acknowledged: { by: 'API_TOKENS' },
    })
    expect(current.find((a) => a.id.endsWith(':late-2'))?.escalatedAt).toBeDefined()
  })

  it('an overdue task raises task_overdue, resolved when it is done', async () => {
    const wall = connectLive(server.url, { token: testTokens.display })
    sockets.push(wall)
    await connected(wall)
    await wall.subscribe({ scope: {} })
    const created = await call('/directives', testTokens.leader, {
      unit: units.phuTrinh,
      instruction: 'Gấp',
      dueAt: new Date(Math.max(now, Date.now()) + 1200).toISOString(),
    })
    const id = `citydeck:${created.body.ref}`
    // The clock is the test's: move it past the deadline for the armed timer to find it due.
    now += 5000
    await until(
      () => wall.alerts.some((a) => a.kind === 'task_overdue' && a.id === id),
      'task_overdue',
      10_000,
    )
    const done = await call(`/tasks/citydeck/${created.body.ref}/reports`, unitTokens.phuTrinh, {
      status: 'done',
      note: 'Xong',
    })
    expect(done.status).toBe(200)
    await until(
      () => wall.alerts.some((a) => a.kind === 'resolved' && a.resolves === 'task_overdue' && a.id === id),
      'its resolution',
      5000,
    )
  })
})
