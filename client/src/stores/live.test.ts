import type { Change, KpiSet, Snapshot, Ticket } from '@citydeck/shared'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { liveLimits, useLiveStore } from './live'

const ticket = (ref: string, over: Partial<Ticket> = {}): Ticket => ({
  source: 's',
  ref,
  updatedAt: '2026-11-28T02:00:00Z',
  category: 'waste',
  title: `Ticket ${ref}`,
  location: { lat: 10.93, lng: 108.1 },
  wardCode: '22930',
  status: 'received',
  receivedAt: '2026-11-28T02:00:00Z',
  dueAt: '2026-11-28T10:00:00Z',
  ...over,
})
const change = (seq: number, item: Ticket): Change => ({
  seq,
  feed: 'tickets',
  id: `${item.source}:${item.ref}`,
  item,
})
const kpis = { tickets: { open: 1 } } as unknown as KpiSet
/** The wall's clock in these tests: the same day as the tickets' times. */
const now = new Date('2026-11-28T12:00:00Z')
const snapshot = (seq: number, openTickets: Ticket[]): Snapshot => ({
  seq,
  scope: {},
  kpis,
  openTickets,
  open: { total: { open: openTickets.length, overdue: 0 }, byWard: {} },
  alerts: [],
})

describe('live store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('applies a snapshot, then changes in order, skipping ones already seen on resume', () => {
    const store = useLiveStore()
    store.applySnapshot(snapshot(10, [ticket('a')]), now)
    expect(store.seq).toBe(10)
    expect([...store.tickets.keys()]).toEqual(['s:a'])
    store.applyChanges(
      [
        change(9, ticket('old')),
        change(11, ticket('b')),
        change(12, ticket('a', { status: 'resolved', resolvedAt: '2026-11-28T03:00:00Z' })),
      ],
      now,
    )
    expect(store.seq).toBe(12)
    expect([...store.tickets.keys()]).toEqual(['s:b'])
    expect(store.recent.map((r) => r.seq)).toEqual([12, 11])
    // A new ticket lands with a pulse; an update of a known one does not.
    expect(store.landed.map((l) => l.id)).toEqual(['s:b'])
  })

  it('never keeps personal data, even if a server sent it', () => {
    const store = useLiveStore()
    store.applyChanges(
      [change(1, ticket('p', { reporter: { name: 'Nguyễn Văn A', phone: '0900' }, description: 'x' }))],
      now,
    )
    expect(store.recent).toHaveLength(1)
    const kept = store.tickets.get('s:p') as Record<string, unknown>
    expect(kept.reporter).toBeUndefined()
    expect(kept.description).toBeUndefined()
    expect(JSON.stringify(store.recent)).not.toContain('Nguyễn')
  })

  it('announces in the ticker only what happened in the last day, not backfilled history', () => {
    const store = useLiveStore()
    store.applyChanges(
      [
        change(
          1,
          ticket('last-year', { updatedAt: '2025-12-20T08:00:00Z', receivedAt: '2025-12-20T08:00:00Z' }),
        ),
        change(2, ticket('this-morning', { updatedAt: '2026-11-28T01:00:00Z' })),
      ],
      now,
    )
    expect(store.recent.map((r) => r.id)).toEqual(['s:this-morning'])
    // The old ticket is still known: only the ticker leaves it out.
    expect(store.tickets.has('s:last-year')).toBe(true)
  })

  it("shows a task's report beside its title in the ticker (the night shift's field reports)", () => {
    const store = useLiveStore()
    const task = {
      source: 't',
      ref: 'NV-1',
      updatedAt: '2026-11-28T01:00:04Z',
      title: 'Trực đêm Phường Phú Thủy',
      unit: 'ubnd-phu-thuy',
      issuedAt: '2026-11-27T15:00:00Z',
      status: 'in_progress',
      progress: 40,
      report: 'Tuần tra Trần Hưng Đạo: không phát sinh vụ việc.',
      wardCode: '22930',
    }
    store.applyChanges([{ seq: 1, feed: 'tasks', id: 't:NV-1', item: task } as Change], now)
    expect(store.recent[0]?.label).toBe(
      'Trực đêm Phường Phú Thủy — Tuần tra Trần Hưng Đạo: không phát sinh vụ việc.',
    )
    expect(store.recent[0]?.status).toBe('in_progress')
  })

  it("names a dossier's procedure in the ticker, from the snapshot's catalog and later procedure changes", () => {
    const store = useLiveStore()
    store.applySnapshot(
      { ...snapshot(1, []), procedureNames: { 'PT.XD.001': 'Cấp giấy phép xây dựng' } },
      now,
    )
    const dossier = (ref: string, procedureCode: string) =>
      ({
        seq: 0,
        feed: 'dossiers',
        id: `d:${ref}`,
        item: {
          source: 'd',
          ref,
          updatedAt: '2026-11-28T03:00:00Z',
          procedureCode,
          channel: 'online',
          status: 'received',
          receivedAt: '2026-11-28T03:00:00Z',
          dueAt: '2026-12-05T03:00:00Z',
        },
      }) as Change
    store.applyChanges([{ ...dossier('1', 'PT.XD.001'), seq: 2 }], now)
    expect(store.recent[0]?.label).toBe('Cấp giấy phép xây dựng')
    // A procedure the catalog did not have yet: its code, until its own change names it.
    store.applyChanges([{ ...dossier('2', 'PT.HT.009'), seq: 3 }], now)
    expect(store.recent[0]?.label).toBe('PT.HT.009')
    const procedure = {
      source: 'p',
      ref: 'PT.HT.009',
      updatedAt: '2026-11-28T03:10:00Z',
      code: 'PT.HT.009',
      name: 'Đăng ký khai sinh',
    }
    store.applyChanges([{ seq: 4, feed: 'procedures', id: 'p:PT.HT.009', item: procedure } as Change], now)
    store.applyChanges([{ ...dossier('3', 'PT.HT.009'), seq: 5 }], now)
    expect(store.recent[0]?.label).toBe('Đăng ký khai sinh')
  })

  it("places a live answer's comment by its own time and shows its score in the ticker", () => {
    const store = useLiveStore()
    store.applySnapshot(
      {
        ...snapshot(1, []),
        comments: [{ id: 'a:old', at: '2026-11-28T09:00:00Z', score: 4, text: 'Tốt', wardCode: null }],
      },
      now,
    )
    const answer = (ref: string, submittedAt: string, comment?: string): Change => ({
      seq: 0,
      feed: 'surveys',
      id: `a:${ref}`,
      item: { source: 'a', ref, updatedAt: submittedAt, submittedAt, score: 2, wardCode: '22930', comment },
    })
    store.applyChanges([{ ...answer('new', '2026-11-28T11:00:00Z', `  ${'x'.repeat(300)}  `), seq: 2 }], now)
    store.applyChanges([{ ...answer('blank', '2026-11-28T11:30:00Z', '   '), seq: 3 }], now)
    expect(store.comments.map((c) => c.id)).toEqual(['a:new', 'a:old'])
    expect(store.comments[0]).toMatchObject({ score: 2, wardCode: '22930' })
    expect(store.comments[0]?.text).toBe('x'.repeat(280))
    expect(store.recent[0]).toMatchObject({ id: 'a:blank', label: '2', wardCode: '22930' })
  })

  it("lists a snapshot's recent changes newest first by the items' own time, not by seq", () => {
    const store = useLiveStore()
    store.applySnapshot(
      {
        ...snapshot(30, []),
        recent: [
          change(21, ticket('noon', { updatedAt: '2026-11-28T11:00:00Z' })),
          change(22, ticket('dawn', { updatedAt: '2026-11-27T23:00:00Z' })),
          change(23, ticket('morning', { updatedAt: '2026-11-28T03:00:00Z' })),
        ],
      },
      now,
    )
    expect(store.recent.map((r) => r.id)).toEqual(['s:noon', 's:morning', 's:dawn'])
    // A live change goes on top.
    store.applyChanges([change(31, ticket('live', { updatedAt: '2026-11-28T11:59:00Z' }))], now)
    expect(store.recent[0]!.id).toBe('s:live')
  })

  it('keeps every buffer bounded', () => {
    const store = useLiveStore()
    const many = Array.from({ length: liveLimits.openTickets + 50 }, (_, i) =>
      change(
        i + 1,
        ticket(`t${i}`, { dueAt: new Date(Date.parse('2026-11-28T00:00:00Z') + i * 60_000).toISOString() }),
      ),
    )
    store.applyChanges(many, now)
    expect(store.tickets.size).toBe(liveLimits.openTickets)
    // The ones kept are the most urgent: the latest deadlines were dropped.
    expect(store.tickets.has('s:t0')).toBe(true)
    expect(store.tickets.has(`s:t${liveLimits.openTickets + 49}`)).toBe(false)
    expect(store.recent.length).toBe(liveLimits.recent)
    expect(store.landed.length).toBe(liveLimits.landed)
  })

  it('takes open counts from the server, not from its capped list', () => {
    const store = useLiveStore()
    const big = { total: { open: 20_000, overdue: 900 }, byWard: { a: { open: 12_000, overdue: 500 } } }
    store.applySnapshot({ ...snapshot(1, [ticket('a')]), open: big }, now)
    expect(store.open).toEqual(big)
    const moved = { total: { open: 20_001, overdue: 900 }, byWard: { a: { open: 12_001, overdue: 500 } } }
    store.applyKpis({ seq: 2, scope: {}, kpis, open: moved }, now)
    expect(store.open?.byWard.a?.open).toBe(12_001)
  })

  it('keeps an alert until it is resolved or its ticket closes', () => {
    const store = useLiveStore()
    store.applySnapshot(snapshot(1, [ticket('a'), ticket('b')]))
    store.applyAlerts([
      { kind: 'ticket_overdue', id: 's:a', at: '2026-11-28T10:00:00Z', wardCode: null },
      { kind: 'ticket_overdue', id: 's:b', at: '2026-11-28T10:00:00Z', wardCode: null },
    ])
    store.applyAlerts([{ kind: 'resolved', id: 's:a', at: '2026-11-28T10:05:00Z', wardCode: null }])
    expect([...store.alerts.keys()]).toEqual(['s:b'])
    store.applyChanges([change(2, ticket('b', { status: 'closed', closedAt: '2026-11-28T10:06:00Z' }))])
    expect(store.alerts.size).toBe(0)
  })
  it('applies a burst of alerts in one frame, in order, as one update, keeping the newest', () => {
    const store = useLiveStore()
    store.applySnapshot(snapshot(1, []), now)
    const version = store.version
    const overdue = (n: number) =>
      ({ kind: 'ticket_overdue', id: `s:${n}`, at: '2026-11-28T10:00:00Z', wardCode: null }) as const
    // Raised, then resolved within the same burst: gone; resolved before it was raised again: kept.
    store.applyAlerts(
      [
        ...Array.from({ length: liveLimits.alerts + 10 }, (_, n) => overdue(n)),
        {
          kind: 'resolved',
          resolves: 'ticket_overdue',
          id: 's:15',
          at: '2026-11-28T10:05:00Z',
          wardCode: null,
        },
        {
          kind: 'resolved',
          resolves: 'ticket_overdue',
          id: 's:16',
          at: '2026-11-28T10:05:00Z',
          wardCode: null,
        },
        overdue(16),
      ],
      now,
    )
    expect(store.version).toBe(version + 1)
    expect(store.alerts.size).toBe(liveLimits.alerts - 1)
    // The oldest ten went to make room; 15 was resolved; 16 was raised again.
    expect(store.alerts.has('s:9')).toBe(false)
    expect(store.alerts.has('s:10')).toBe(true)
    expect(store.alerts.has('s:15')).toBe(false)
    expect(store.alerts.has('s:16')).toBe(true)
    expect(store.alerts.has(`s:${liveLimits.alerts + 9}`)).toBe(true)
  })
})
