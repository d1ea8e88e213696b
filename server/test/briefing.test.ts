import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { claimBriefing } from '../src/briefings/repository.sql'
import { runBriefing, yesterday } from '../src/briefings/run'
import { requestJson } from './support/http'
import { startTestServer, type TestServer, testTokens } from './support/test-server'

let server: TestServer
beforeAll(async () => {
  // No browser: the PDF step fails here, which is what the failure path needs (rendering is e2e).
  server = await startTestServer({ CHROMIUM_PATH: '/nonexistent/chromium', BRIEFING_SCHEDULE: '' })
})
afterAll(() => server?.stop())

const context = () => ({
  deps: server.deps,
  baseUrl: server.url,
})

describe('daily briefing', () => {
  it('covers the city-local day before', () => {
    // 23:30 UTC on the 27th is 06:30 on the 28th in Phan Thiết.
    expect(yesterday(new Date('2026-11-27T23:30:00Z'), 'Asia/Ho_Chi_Minh')).toBe('2026-11-27')
    // Local midnight of the 28th is 17:00 UTC on the 27th.
    expect(yesterday(new Date('2026-11-27T17:00:00Z'), 'Asia/Ho_Chi_Minh')).toBe('2026-11-27')
    expect(yesterday(new Date('2026-11-27T16:59:59Z'), 'Asia/Ho_Chi_Minh')).toBe('2026-11-26')
  })

  it('is produced by one process only when several run the schedule', async () => {
    const steps: string[][] = [[], []]
    const results = await Promise.allSettled(
      [0, 1].map((i) => runBriefing(context(), '2026-11-20', { onStep: (s) => steps[i]!.push(s) })),
    )
    const skipped = results.filter((r) => r.status === 'fulfilled' && r.value.status === 'skipped')
    const ran = results.filter((r) => r.status === 'rejected')
    expect(skipped).toHaveLength(1)
    // The one that ran froze the snapshot, then could not print without a browser.
    expect(ran).toHaveLength(1)
    expect(String((ran[0] as PromiseRejectedResult).reason)).toContain('apt-get install chromium')
    expect(steps.flat()).toContain('snapshot')
  })

  it('lists a failed day with its reason, and the schedule may take a failed day again', async () => {
    const list = await requestJson(`${server.url}/api/v1/briefings`, { token: testTokens.leader })
    expect(list.status).toBe(200)
    const day = list.body.items.find((b: { day: string }) => b.day === '2026-11-20')
    expect(day).toMatchObject({ status: 'failed', pdfUrl: null })
    expect(day.snapshotUrl).toMatch(/^\/snapshots\//)
    expect(day.error).toContain('CHROMIUM_PATH')
    // The frozen day carries the tasks KPIs and the list of overdue tasks (issue #16).
    const id = day.snapshotUrl.split('/').pop()
    const snap = await requestJson(`${server.url}/api/v1/snapshots/${id}`, { token: testTokens.leader })
    expect(snap.body.data.kpis.tasks).toMatchObject({ issued: 0, overdue: 0 })
    expect(snap.body.data.overdueTasks).toEqual({ items: [] })
    await expect(runBriefing(context(), '2026-11-20')).rejects.toThrow(/Chromium/)
    expect((await requestJson(`${server.url}/api/v1/briefings`, { token: testTokens.display })).status).toBe(
      403,
    )
  })
})

describe('briefing schedule', () => {
  it("runs yesterday's briefing on BRIEFING_SCHEDULE", async () => {
    // Every second (croner's six-field form), so the test need not wait for 07:00.
    const scheduled = await startTestServer({
      CHROMIUM_PATH: '/nonexistent/chromium',
      BRIEFING_SCHEDULE: '* * * * * *',
    })
    try {
      const day = yesterday(new Date(), scheduled.deps.city.profile.timeZone)
      await expect
        .poll(
          async () => {
            const [row] = await scheduled.deps.sql`select status from briefings where day = ${day}`
            return row?.status
          },
          { timeout: 20_000, interval: 250 },
        )
        .toBe('failed') // no browser here: the PDF step fails after the snapshot was frozen
      const [row] = await scheduled.deps.sql`select snapshot_id from briefings where day = ${day}`
      expect(row!.snapshot_id).toBeTruthy()
    } finally {
      await scheduled.stop()
    }
  })

  it('POST makes a day now: 503 without Chromium, 409 while that day is being made, 422 naming date', async () => {
    const post = (body: unknown, token = testTokens.leader) =>
      requestJson(`${server.url}/api/v1/briefings`, { token, body })
    // No browser in this server: refused before anything is claimed.
    const missing = await post({ date: '2026-11-21' })
    expect(missing.status).toBe(503)
    expect(missing.body).toMatchObject({ error: { code: 'chromium_missing' } })
    expect(await claimBriefing(server.deps.sql, '2026-11-21', false)).toBe(true)
    const withBrowser = await startTestServer(
      { CHROMIUM_PATH: process.execPath, BRIEFING_SCHEDULE: '' },
      {
        db: server.db,
      },
    )
    try {
      const busy = await requestJson(`${withBrowser.url}/api/v1/briefings`, {
        token: testTokens.leader,
        body: { date: '2026-11-21' },
      })
      expect(busy.status).toBe(409)
      expect(busy.body.error.field).toBe('date')
      const future = await requestJson(`${withBrowser.url}/api/v1/briefings`, {
        token: testTokens.leader,
        body: { date: '2999-01-01' },
      })
      expect(future.status).toBe(422)
      expect(future.body.error.field).toBe('date')
      const bad = await requestJson(`${withBrowser.url}/api/v1/briefings`, {
        token: testTokens.leader,
        body: { date: '21/11/2026' },
      })
      expect(bad.status).toBe(422)
      const wall = await requestJson(`${withBrowser.url}/api/v1/briefings`, {
        token: testTokens.display,
        body: {},
      })
      expect(wall.status).toBe(403)
    } finally {
      await withBrowser.stop()
    }
  })
})
