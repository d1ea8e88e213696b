import type { KpisChanged } from '@citydeck/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCity } from '../../src/city/profile'
import { DomainEvents } from '../../src/events'
import { startLiveKpis, todayKpis } from '../../src/kpi/live-kpis'
import { createTestDatabase, type TestDatabase } from '../support/test-database'
import { ticket, upsert } from './rows'

let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(() => db?.drop())

/** A scheduler the test runs by hand: no real waiting, no timing in assertions. */
function manualTimers() {
  const pending: Array<() => void> = []
  return {
    pending,
    setTimer: (fn: () => void) => pending.push(fn),
    clearTimer: () => pending.splice(0),
    runNext: () => pending.shift()!(),
  }
}

describe('live KPI feed', () => {
  it('coalesces a burst into one recomputation per scope and always follows the last change', async () => {
    const now = new Date('2026-03-01T10:00:00+07:00')
    const events = new DomainEvents()
    const deps = { sql: db.sql, city: loadCity({ CITY_PROFILE: 'phan-thiet' }), clock: () => now, events }
    const timers = manualTimers()
    const live = startLiveKpis(deps, timers)
    const seen: KpisChanged[] = []
    events.on('kpis.changed', (e) => seen.push(e))

    await upsert(db.sql, 'tickets', [
      ticket({ ref: 'a', received_at: '2026-03-01T08:00:00+07:00', ward_code: '22930' }),
      ticket({ ref: 'b', received_at: '2026-03-01T09:00:00+07:00', ward_code: '22915' }),
      ticket({ ref: 'c', received_at: '2026-02-28T09:00:00+07:00', ward_code: '22915' }),
    ])
    for (let seq = 1; seq <= 1000; seq++) {
      events.emit('feed.changed', {
        feed: 'tickets',
        lastSeq: seq,
        count: 1,
        wards: [seq % 2 ? '22930' : '22915', null],
      })
    }
    expect(timers.pending).toHaveLength(1)
    expect(seen).toHaveLength(0)

    const done = new Promise<void>((resolve) =>
      events.on('kpis.changed', () => seen.length === 3 && resolve()),
    )
    timers.runNext()
    // A change while recomputing schedules exactly one more run after it.
    events.emit('feed.changed', { feed: 'tickets', lastSeq: 1001, count: 1, wards: ['22918'] })
    await done
    expect(seen.map((e) => [e.seq, e.scope.ward ?? 'city', e.kpis.tickets.received])).toEqual([
      [1000, 'city', 2],
      [1000, '22930', 1],
      [1000, '22915', 1],
    ])
    expect(seen[0]!.kpis).toEqual(await todayKpis(deps, {}))
    await new Promise((resolve) => setImmediate(resolve))
    expect(timers.pending).toHaveLength(1)

    const final = new Promise<void>((resolve) =>
      events.on('kpis.changed', () => seen.length === 5 && resolve()),
    )
    timers.runNext()
    await final
    expect(seen.slice(3).map((e) => [e.seq, e.scope.ward ?? 'city'])).toEqual([
      [1001, 'city'],
      [1001, '22918'],
    ])
    await live.stop()
    events.emit('feed.changed', { feed: 'tickets', lastSeq: 1002, count: 1, wards: [] })
    expect(timers.pending).toHaveLength(0)
  })
})
