import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer, testTokens } from '../support/test-server'
import {
  assertInOrderOnce,
  connected,
  connectLive,
  ingest,
  type Recorder,
  ticket,
  until,
  wards,
} from './support'

let server: TestServer
const open: Recorder[] = []
const client = (options: Parameters<typeof connectLive>[1]) => {
  const r = connectLive(server.url, options)
  open.push(r)
  return r
}

beforeAll(async () => {
  server = await startTestServer({ INGEST_RATE_LIMIT: '100000' })
})
afterAll(async () => {
  for (const r of open) r.close()
  await server?.stop()
})

describe('live handshake', () => {
  it('refuses feed tokens, unknown tokens and no credentials with a clear message', async () => {
    await expect(connected(client({ token: testTokens.feed }))).rejects.toThrow(/feed tokens/)
    await expect(connected(client({ token: 'nope' }))).rejects.toThrow(/unauthorized/)
    await expect(connected(client({}))).rejects.toThrow(/unauthorized/)
  })

  it('accepts the session cookie', async () => {
    const res = await fetch(`${server.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: testTokens.display }),
    })
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!
    const r = client({ headers: { cookie } })
    await connected(r)
    expect(await r.subscribe({ scope: {} })).toMatchObject({ ok: true })
  })

  it('answers an invalid subscribe with ok: false naming the field', async () => {
    const r = client({ token: testTokens.display })
    await connected(r)
    const ack = await r.socket.timeout(5000).emitWithAck('subscribe', { scope: { ward: 42 } } as never)
    expect(ack).toMatchObject({ ok: false })
    expect((ack as { error: string }).error).toMatch(/scope\.ward/)
  })
})

describe('snapshot then live', () => {
  it('sends a snapshot with open tickets, then every change once in seq order', async () => {
    await ingest(server.url, [
      ticket('snap-1'),
      ticket('snap-2', { status: 'resolved', resolvedAt: new Date().toISOString() }),
    ])
    const r = client({ token: testTokens.leader })
    await connected(r)
    const ack = await r.subscribe({ scope: {} })
    expect(ack.ok).toBe(true)
    const snapshot = r.snapshots[0]!
    expect(snapshot.resync).toBeUndefined()
    expect(ack).toEqual({ ok: true, seq: snapshot.seq })
    const refs = snapshot.openTickets.map((t) => t.ref)
    expect(refs).toContain('snap-1')
    expect(refs).not.toContain('snap-2')
    expect(snapshot.openTickets.find((t) => t.ref === 'snap-1')).toMatchObject({
      dueAt: expect.any(String),
      reporter: { name: 'Nguyễn Văn Báo' },
    })
    expect(snapshot.recent?.map((c) => c.id)).toContain('test-source:snap-2')

    await ingest(server.url, [ticket('live-1'), ticket('live-2')])
    await ingest(server.url, [ticket('live-3')])
    await until(() => r.changes.length >= 3, 'three live changes')
    expect(r.changes.map((c) => c.id)).toEqual([
      'test-source:live-1',
      'test-source:live-2',
      'test-source:live-3',
    ])
    expect(r.changes[0]!.seq).toBeGreaterThan(snapshot.seq)
    assertInOrderOnce(r.changes)
    expect(r.changes[0]).toMatchObject({ feed: 'tickets', item: { title: 'Rác tồn đọng live-1' } })
  })

  it("a snapshot's recent changes are today's news, past a backfill written after them", async () => {
    const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000).toISOString()
    await ingest(server.url, [ticket('news-1'), ticket('news-2')])
    // A backfill of history after today's items: more changes than a snapshot sends.
    const history = Array.from({ length: 80 }, (_, i) =>
      ticket(`history-${i}`, {
        updatedAt: tenDaysAgo,
        receivedAt: tenDaysAgo,
        status: 'closed',
        closedAt: tenDaysAgo,
      }),
    )
    await ingest(server.url, history)

    const r = client({ token: testTokens.display })
    await connected(r)
    await r.subscribe({ scope: {} })
    const recent = r.snapshots[0]!.recent!
    const ids = recent.map((c) => c.id)
    expect(ids).toEqual(expect.arrayContaining(['test-source:news-1', 'test-source:news-2']))
    expect(ids.some((id) => id.includes(':history-'))).toBe(false)
    assertInOrderOnce(recent)
  })

  it("a snapshot's latest comments are the newest by their own time, not the last written", async () => {
    const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString()
    const answer = (ref: string, at: string, comment: string, wardCode?: string) => ({
      source: 'test-source',
      ref,
      updatedAt: at,
      submittedAt: at,
      score: 4,
      comment,
      ...(wardCode ? { wardCode } : {}),
    })
    // Today's answers first, then a year of history written newest first (as the demo's
    // first start does): the change log's last rows are the oldest answers.
    await ingest(
      server.url,
      [
        answer('c-today-1', daysAgo(0.1), 'Xử lý nhanh, cảm ơn phường.'),
        answer('c-today-2', daysAgo(0.05), '  Gọi 0912 345 678 nếu cần  ', wards.hamTien),
      ],
      'surveys',
    )
    const history = Array.from({ length: 30 }, (_, i) => answer(`c-old-${i}`, daysAgo(300 + i), 'Chậm'))
    await ingest(server.url, history, 'surveys')
    await ingest(server.url, [answer('c-blank', daysAgo(0.01), '   ')], 'surveys')

    const display = client({ token: testTokens.display })
    await connected(display)
    await display.subscribe({ scope: {} })
    const comments = display.snapshots[0]!.comments!
    expect(comments.length).toBe(20)
    expect(comments.slice(0, 2).map((c) => c.id)).toEqual(['test-source:c-today-2', 'test-source:c-today-1'])
    const times = comments.map((c) => Date.parse(c.at))
    expect(times).toEqual([...times].sort((a, b) => b - a))
    expect(comments.some((c) => c.id === 'test-source:c-blank')).toBe(false)
    // Trimmed, and a contact masked for a display (not for a leader).
    expect(comments[0]).toMatchObject({ text: 'Gọi 09•• ••• ••• nếu cần', score: 4, wardCode: wards.hamTien })

    const leader = client({ token: testTokens.leader })
    await connected(leader)
    await leader.subscribe({ scope: { ward: wards.hamTien } })
    expect(leader.snapshots[0]!.comments).toEqual([
      expect.objectContaining({ id: 'test-source:c-today-2', text: 'Gọi 0912 345 678 nếu cần' }),
    ])
  })

  it("a snapshot names the catalog's procedures, so a wall's news shows a dossier's procedure by name", async () => {
    const at = new Date().toISOString()
    await ingest(
      server.url,
      [
        {
          source: 'test-source',
          ref: 'proc-1',
          updatedAt: at,
          code: 'T.HT.001',
          name: 'Đăng ký khai sinh',
          field: 'Hộ tịch',
          level: 'full',
          provincialPortal: true,
          nationalPortal: true,
          feeBearing: false,
        },
      ],
      'procedures',
    )
    const display = client({ token: testTokens.display })
    await connected(display)
    await display.subscribe({ scope: {} })
    expect(display.snapshots[0]!.procedureNames?.['T.HT.001']).toBe('Đăng ký khai sinh')
  })

  it('a ward scope gets only that ward', async () => {
    const r = client({ token: testTokens.leader })
    await connected(r)
    await r.subscribe({ scope: { ward: wards.hamTien } })
    expect(r.snapshots[0]!.openTickets.every((t) => t.wardCode === wards.hamTien)).toBe(true)
    await ingest(server.url, [ticket('w-1'), ticket('w-2', { wardCode: wards.hamTien }), ticket('w-3')])
    await ingest(server.url, [ticket('w-4', { wardCode: wards.hamTien })])
    await until(() => r.changes.length >= 2, 'two changes of the ward')
    expect(r.changes.map((c) => c.id)).toEqual(['test-source:w-2', 'test-source:w-4'])
  })
})

describe('personal data', () => {
  it('no frame sent to a display carries reporter name, phone or email', async () => {
    const display = client({ token: testTokens.display })
    const leader = client({ token: testTokens.leader })
    await Promise.all([connected(display), connected(leader)])
    await ingest(server.url, [ticket('pd-1')])
    await display.subscribe({ scope: {} })
    await display.subscribe({ scope: { ward: wards.muiNe } })
    await leader.subscribe({ scope: {} })
    await ingest(server.url, [ticket('pd-2'), ticket('pd-3', { status: 'in_progress' })])
    // A resuming display gets a replay from the log: redacted too.
    const resumer = client({ token: testTokens.display })
    await connected(resumer)
    await resumer.subscribe({ scope: {}, since: 0 })
    await until(
      () => display.changes.filter((c) => c.id.startsWith('test-source:pd-')).length >= 2,
      'display changes',
    )
    await until(() => leader.changes.length >= 2, 'leader changes')
    await until(
      () => resumer.changes.some((c) => c.id === 'test-source:pd-3') || resumer.snapshots.length > 0,
      'replay',
    )

    for (const r of [display, resumer]) {
      const wire = JSON.stringify(r.frames)
      expect(r.frames.length).toBeGreaterThan(0)
      expect(wire).not.toContain('Nguyễn Văn Báo')
      expect(wire).not.toContain('0901234567')
      expect(wire).not.toContain('bao@example.vn')
      expect(wire).not.toContain('reporter')
    }
    // The leader is allowed to see it, which shows the display's frames had it to strip.
    expect(JSON.stringify(leader.frames)).toContain('0901234567')
  })
})

describe('kpi frames', () => {
  it('a burst gives a handful of coalesced frames for the scope, the last one counting every ticket', async () => {
    const r = client({ token: testTokens.display })
    await connected(r)
    await r.subscribe({ scope: {} })
    const before = r.snapshots[0]!.kpis.tickets.received
    const burst = Array.from({ length: 500 }, (_, i) => ticket(`kpi-${i}`))
    for (let i = 0; i < 500; i += 50) await ingest(server.url, burst.slice(i, i + 50))
    await until(() => r.changes.some((c) => c.id.endsWith(':kpi-499')), 'the last change')
    const lastSeq = r.changes.at(-1)!.seq
    // A frame computed mid-burst may already count later tickets; the final one names the last seq.
    await until(() => r.kpis.some((k) => k.seq === lastSeq), 'the final KPI frame')
    expect(r.kpis.find((k) => k.seq === lastSeq)!.kpis.tickets.received).toBe(before + 500)
    expect(r.kpis.length).toBeLessThan(10)
    expect(r.kpis.every((k) => k.scope.ward === undefined)).toBe(true)
  })
})
