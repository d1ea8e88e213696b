import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requestJson } from '../support/http'
import { sampleTicket } from '../support/items'
import { startTestServer, type TestServer, testFeedSource, testTokens } from '../support/test-server'

// Tasks, the fifth feed (docs/design.md §9): the same ingest rules as every feed.
let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server?.stop())

const post = (feed: string, body: unknown) =>
  requestJson(`${server.url}/api/v1/feeds/${feed}`, { token: testTokens.feed, body })

export function sampleTask(ref: string, over: Record<string, unknown> = {}) {
  return {
    source: testFeedSource,
    ref,
    updatedAt: '2026-11-28T09:00:00+07:00',
    title: 'Thu gom rác tồn đọng',
    unit: 'ubnd-22930',
    issuedBy: 'Chủ tịch UBND thành phố',
    issuedAt: '2026-11-28T09:00:00+07:00',
    dueAt: '2026-11-28T17:00:00+07:00',
    status: 'assigned',
    ...over,
  }
}

describe('the tasks feed', () => {
  it('stores a task, logs it and ignores a stale version', async () => {
    const created = await post('tasks', sampleTask('t-1'))
    expect(created.status).toBe(201)
    const newer = sampleTask('t-1', {
      updatedAt: '2026-11-28T10:00:00+07:00',
      status: 'in_progress',
      progress: 50,
    })
    expect((await post('tasks', newer)).body).toMatchObject({ updated: 1 })
    expect((await post('tasks', sampleTask('t-1'))).body).toMatchObject({ ignored: 1 })
    const [row] = await server.db.sql`select status, progress from tasks where ref = 't-1'`
    expect(row).toEqual({ status: 'in_progress', progress: 50 })
    const log = await server.db
      .sql`select op from change_log where feed = 'tasks' and ref = 't-1' order by seq`
    expect(log.map((r) => r.op)).toEqual(['created', 'updated'])
  })

  it("takes the subject's ward when none is sent, and sets doneAt when reported done without one", async () => {
    await post('tickets', sampleTicket('tk-1'))
    const subject = { kind: 'ticket', source: testFeedSource, ref: 'tk-1' }
    await post(
      'tasks',
      sampleTask('t-2', { subject, status: 'done', updatedAt: '2026-11-28T11:00:00+07:00' }),
    )
    const [row] = await server.db.sql`select ward_code, done_at from tasks where ref = 't-2'`
    expect(row!.ward_code).toBe('22930')
    expect((row!.done_at as Date).toISOString()).toBe('2026-11-28T04:00:00.000Z')
    const [logged] = await server.db.sql`select ward_code, item from change_log where ref = 't-2'`
    expect(logged!.ward_code).toBe('22930')
    expect(logged!.item.wardCode).toBe('22930')
  })

  it('refuses a bad task with 422 naming the field', async () => {
    const res = await post('tasks', sampleTask('t-3', { progress: 140 }))
    expect(res.status).toBe(422)
    expect(res.body.error.field).toBe('progress')
  })
})
