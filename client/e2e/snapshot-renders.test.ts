import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requestJson } from '../../server/test/support/http'
import { startTestServer, type TestServer, testTokens } from '../../server/test/support/test-server'
import { seedLeaderData } from './leader-fixtures'
import { browserUnavailable } from './support/browser'

// docs/design.md §5: anyone with a snapshot link cannot queue unbounded renders. One Chromium renders
// at a time, SNAPSHOT_RENDER_QUEUE wait behind it, the rest get 503; a snapshot renders once.
const skip = browserUnavailable()

describe.skipIf(skip)('snapshot PDF renders: queued with a bound, cached per snapshot', () => {
  let server: TestServer
  const ids: string[] = []
  beforeAll(async () => {
    server = await startTestServer({ SNAPSHOT_RENDER_QUEUE: '1', BRIEFING_SCHEDULE: '' })
    await seedLeaderData(server.deps, new Date(), 12)
    for (let i = 0; i < 5; i++) {
      const created = await requestJson(`${server.url}/api/v1/snapshots`, {
        token: testTokens.leader,
        body: {
          view: 'city',
          filters: { preset: 'custom', from: '2026-11-27', to: '2026-11-27' },
          title: `S${i}`,
        },
      })
      ids.push(created.body.id)
    }
  })
  afterAll(() => server?.stop())

  const pdf = (id: string) => fetch(`${server.url}/api/v1/snapshots/${id}.pdf`)
  /** citydeck_snapshot_renders_total and the cache size, from the server's own metrics. */
  async function renders() {
    const text = await (
      await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${testTokens.admin}` } })
    ).text()
    const count = (outcome: string) =>
      Number(
        text.match(
          new RegExp(`citydeck_snapshot_renders_total\\{format="pdf",outcome="${outcome}"\\} (\\d+)`),
        )?.[1] ?? 0,
      )
    const bytes = Number(text.match(/citydeck_snapshot_render_cache_bytes (\d+)/)?.[1] ?? 0)
    return { rendered: count('rendered'), cached: count('cached'), busy: count('busy'), bytes }
  }

  it('renders an unchanged snapshot once: the second request does not start Chromium', async () => {
    const first = await pdf(ids[0]!)
    expect(first.status).toBe(200)
    const bytes = Buffer.from(await first.arrayBuffer())
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-')
    const started = performance.now()
    const second = await pdf(ids[0]!)
    const took = performance.now() - started
    expect(second.status).toBe(200)
    expect(Buffer.from(await second.arrayBuffer()).equals(bytes)).toBe(true)
    expect(await renders()).toMatchObject({ rendered: 1, cached: 1 })
    expect(took).toBeLessThan(500)
  })

  it('shares one render between requests for the same snapshot that arrive together', async () => {
    const both = await Promise.all([pdf(ids[1]!), pdf(ids[1]!)])
    expect(both.map((r) => r.status)).toEqual([200, 200])
    await Promise.all(both.map((r) => r.arrayBuffer()))
    expect((await renders()).rendered).toBe(2)
  })

  it('lets one render run and one wait; more are refused with 503 and Retry-After', async () => {
    const answers = await Promise.all(ids.slice(2, 5).map((id) => pdf(id)))
    const statuses = answers.map((r) => r.status).sort()
    expect(statuses).toEqual([200, 200, 503])
    const refused = answers.find((r) => r.status === 503)!
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('render_busy')
    await Promise.all(answers.filter((r) => r.ok).map((r) => r.arrayBuffer()))
    expect(await renders()).toMatchObject({ rendered: 4, busy: 1 })
  })

  it('forgets the file of a revoked snapshot, which answers 410', async () => {
    const before = (await renders()).bytes
    expect(before).toBeGreaterThan(0)
    const revoked = await requestJson(`${server.url}/api/v1/snapshots/${ids[0]}`, {
      method: 'DELETE',
      token: testTokens.leader,
    })
    expect(revoked.status).toBe(204)
    expect((await pdf(ids[0]!)).status).toBe(410)
    expect((await renders()).bytes).toBeLessThan(before)
  })
})
