import type { KpiFrame, LiveScope } from '@citydeck/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCity } from '../../src/city/profile'
import { startLiveKpis, todayKpis } from '../../src/kpi/live-kpis'
import { manualTimers } from '../support/manual-timers'
import { createTestDatabase, type TestDatabase } from '../support/test-database'
import { task, ticket, upsert } from './rows'

let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(() => db?.drop())

describe('live KPI feed', () => {
  it('coalesces a burst into one recomputation per watched scope and always follows the last change', async () => {
    const now = new Date('2026-03-01T10:00:00+07:00')
    const deps = { sql: db.sql, city: loadCity({ CITY_PROFILE: 'phan-thiet' }), clock: () => now }
    const timers = manualTimers()
    const seen: KpiFrame[] = []
    let watched: LiveScope[] = [{}, { ward: '22930' }, { ward: '22915' }, { ward: '22918' }]
    let onPublish = () => {}
    const published = (count: number) =>
      new Promise<void>((resolve) => {
        onPublish = () => seen.length >= count && resolve()
        onPublish()
      })
    const live = startLiveKpis(deps, {
      ...timers,
      watched: () => watched,
      publish: (frame) => {
        seen.push(frame)
        onPublish()
      },
    })

    await upsert(db.sql, 'tickets', [
      ticket({ ref: 'a', received_at: '2026-03-01T08:00:00+07:00', ward_code: '22930' }),
      ticket({ ref: 'b', received_at: '2026-03-01T09:00:00+07:00', ward_code: '22915' }),
      ticket({ ref: 'c', received_at: '2026-02-28T09:00:00+07:00', ward_code: '22915' }),
    ])
    // 22921 is touched but nobody watches it: it is never computed.
    for (let seq = 1; seq <= 1000; seq++) {
      live.noteChanges([
        { seq: seq - 0.5, wardCode: seq % 3 === 0 ? '22921' : null },
        { seq, wardCode: seq % 2 ? '22930' : '22915' },
      ])
    }
    expect(timers.pending).toHaveLength(1)
    // The first change after a quiet spell is recomputed at once (the burst of the same tick joins it).
    expect(timers.delays).toEqual([0])
    expect(seen).toHaveLength(0)

    timers.runNext()
    // A change while recomputing schedules exactly one more run after it, a second after this one.
    timers.clock.ms += 300
    live.noteChanges([{ seq: 1001, wardCode: '22918' }])
    await published(3)
    expect(seen.map((e) => [e.seq, e.scope.ward ?? 'city', e.kpis.tickets.received])).toEqual([
      [1000, 'city', 2],
      [1000, '22930', 1],
      [1000, '22915', 1],
    ])
    expect(seen[0]!.kpis).toEqual(await todayKpis(deps, {}))
    await new Promise((resolve) => setImmediate(resolve))
    expect(timers.pending).toHaveLength(1)
    expect(timers.delays).toEqual([0, 700])

    // The city's watchers left: only the ward still watched is computed.
    watched = [{ ward: '22918' }]
    timers.runNext()
    await published(4)
    expect(seen.slice(3).map((e) => [e.seq, e.scope.ward ?? 'city'])).toEqual([[1001, '22918']])
    await new Promise((resolve) => setImmediate(resolve))
    expect(timers.pending).toHaveLength(0)

    // Nobody watches: a change costs no computation at all.
    watched = []
    live.noteChanges([{ seq: 1002, wardCode: '22930' }])
    expect(timers.pending).toHaveLength(1)
    timers.runNext()
    await live.stop()
    expect(seen).toHaveLength(4)

    live.noteChanges([{ seq: 1003, wardCode: null }])
    expect(timers.pending).toHaveLength(0)
  })

  it('carries the tasks keys in the frames: a task change is recomputed like any other', async () => {
    const now = new Date('2026-03-02T10:00:00+07:00')
    const deps = { sql: db.sql, city: loadCity({ CITY_PROFILE: 'phan-thiet' }), clock: () => now }
    const timers = manualTimers()
    let frame: (f: KpiFrame) => void = () => {}
    const published = new Promise<KpiFrame>((resolve) => {
      frame = resolve
    })
    const live = startLiveKpis(deps, { ...timers, watched: () => [{}], publish: (f) => frame(f) })
    await upsert(db.sql, 'tasks', [
      task({
        ref: 'k-live',
        unit: 'ubnd-22930',
        issued_at: '2026-03-02T08:00:00+07:00',
        due_at: '2026-03-02T09:00:00+07:00',
      }),
    ])
    live.noteChanges([{ seq: 1, wardCode: '22930' }])
    timers.runNext()
    const first = await published
    await live.stop()
    expect(first.kpis.tasks).toEqual({
      issued: 1,
      done: 0,
      doneOnTime: 0,
      onTimeRate: null,
      open: 1,
      overdue: 1,
    })
  })
})
