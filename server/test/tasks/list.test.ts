import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requestJson } from '../support/http'
import { startTestServer, type TestServer, testFeedSource, testTokens } from '../support/test-server'

// `GET /api/v1/tasks` as the tasks list page reads it (docs/design.md §9, issue #17): filters by
// unit, status and SLA state now, soonest deadline first, keyset-paged like tickets; a bad
// parameter is a 400 naming it.
const now = Date.parse('2026-11-28T10:00:00+07:00')
const unitToken = 'test-unit-list-phu-trinh-secret'
let server: TestServer
beforeAll(async () => {
  server = await startTestServer(
    {
      API_TOKENS: [
        `leader=${testTokens.leader}`,
        `feed:${testFeedSource}=${testTokens.feed}`,
        `unit:ubnd-22930=${unitToken}`,
      ].join(','),
    },
    { clock: () => new Date(now) },
  )
})
afterAll(() => server?.stop())

const call = (path: string, token: string = testTokens.leader, body?: unknown) =>
  requestJson(`${server.url}/api/v1${path}`, { token, body })
const hours = (h: number) => new Date(now + h * 3_600_000).toISOString()

/** Twelve tasks: due from 6 h ago to 5 h ahead, two units, some done or cancelled. */
const tasks = Array.from({ length: 12 }, (_, i) => {
  const status = i % 5 === 4 ? 'done' : i === 7 ? 'cancelled' : i % 2 ? 'in_progress' : 'assigned'
  return {
    source: testFeedSource,
    ref: `list-${String(i).padStart(2, '0')}`,
    updatedAt: hours(-8),
    title: `Nhiệm vụ ${i}`,
    unit: i % 3 === 0 ? 'ubnd-22915' : 'ubnd-22930',
    issuedAt: hours(-8 + i * 0.1),
    // Two share a deadline: the keyset's (source, ref) tiebreak must keep both.
    dueAt: hours(i === 3 ? -4 : -6 + i),
    status,
    ...(status === 'done' ? { doneAt: hours(-7) } : {}),
  }
})
const isOpen = (t: (typeof tasks)[number]) => t.status !== 'done' && t.status !== 'cancelled'
const due = (t: (typeof tasks)[number]) => Date.parse(t.dueAt)
const byDeadline = (a: (typeof tasks)[number], b: (typeof tasks)[number]) =>
  due(a) - due(b) || a.ref.localeCompare(b.ref)
const refs = (body: { items: Array<{ ref: string }> }) => body.items.map((t) => t.ref)

describe('the tasks list', () => {
  beforeAll(async () => {
    const stored = await call('/feeds/tasks', testTokens.feed, tasks)
    expect([stored.status, stored.body.created]).toEqual([200, tasks.length])
  })

  it('keeps the open tasks in each SLA state now, soonest deadline first', async () => {
    const expected = {
      overdue: tasks.filter((t) => isOpen(t) && due(t) < now),
      soon: tasks.filter((t) => isOpen(t) && due(t) >= now && due(t) <= now + 3_600_000),
      ontime: tasks.filter((t) => isOpen(t) && due(t) > now + 3_600_000),
    }
    for (const [sla, want] of Object.entries(expected)) {
      const res = await call(`/tasks?sla=${sla}&sort=dueAt`)
      expect(res.status).toBe(200)
      expect(refs(res.body)).toEqual(want.sort(byDeadline).map((t) => t.ref))
      expect(want.length).toBeGreaterThan(0)
    }
  })

  it('filters by unit and status together with the SLA state', async () => {
    const res = await call('/tasks?unit=ubnd-22930&status=in_progress&sla=overdue&sort=dueAt')
    const want = tasks
      .filter((t) => t.unit === 'ubnd-22930' && t.status === 'in_progress' && due(t) < now)
      .sort(byDeadline)
    expect(refs(res.body)).toEqual(want.map((t) => t.ref))
    expect(want.length).toBeGreaterThan(1)
  })

  it('pages by cursor without skipping or repeating a row, in both sort orders', async () => {
    for (const sort of ['dueAt', '-issuedAt'] as const) {
      const seen: string[] = []
      let cursor: string | null = null
      do {
        const res: { status: number; body: { items: Array<{ ref: string }>; nextCursor: string | null } } =
          await call(`/tasks?sort=${sort}&limit=5${cursor ? `&cursor=${cursor}` : ''}`)
        expect(res.status).toBe(200)
        expect(res.body.items.length).toBeLessThanOrEqual(5)
        seen.push(...refs(res.body))
        cursor = res.body.nextCursor
      } while (cursor)
      const want =
        sort === 'dueAt'
          ? [...tasks].sort(byDeadline)
          : [...tasks].sort((a, b) => Date.parse(b.issuedAt) - Date.parse(a.issuedAt))
      expect(seen).toEqual(want.map((t) => t.ref))
    }
  })

  it('answers 400 naming the field for a bad SLA state, sort, status or cursor', async () => {
    for (const [query, field] of [
      ['sla=late', 'sla'],
      ['sort=receivedAt', 'sort'],
      ['status=open', 'status'],
      ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
      ['limit=0', 'limit'],
    ]) {
      const res = await call(`/tasks?${query}`)
      expect([res.status, res.body.error.field]).toEqual([400, field])
    }
  })

  it('gives a unit its own tasks only, whatever the filter', async () => {
    const res = await call('/tasks?sla=overdue', unitToken)
    expect(res.body.items.length).toBeGreaterThan(0)
    expect(res.body.items.every((t: { unit: string }) => t.unit === 'ubnd-22930')).toBe(true)
    expect((await call('/tasks?unit=ubnd-22915', unitToken)).status).toBe(403)
  })
})
