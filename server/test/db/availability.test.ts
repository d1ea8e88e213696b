import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DatabaseWatch } from '../../src/db/availability'
import { until } from '../live/support'
import { createTestDatabase, type TestDatabase } from '../support/test-database'

let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase({ migrated: false })
})
afterAll(async () => {
  await db?.drop()
})

const refused = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('DatabaseWatch', () => {
  it('takes a connection error just after the database came back for a straggler, and asks the probe', async () => {
    const watch = new DatabaseWatch(db.sql, {
      everyMs: 60_000,
      whileDownMs: 50,
      timeoutMs: 1000,
      settleMs: 500,
      slowProbesBeforeDown: 2,
    })
    try {
      await sleep(600)
      watch.report(refused())
      expect(watch.isUp).toBe(false)
      await until(() => watch.isUp, 'the probe finding the database again')
      // A query that died with the outage reports late: the database is there, so it stays up.
      watch.report(refused())
      expect(watch.isUp).toBe(true)
      await sleep(600)
      expect(watch.isUp).toBe(true)
      // Later, the same error means a new outage, at once.
      watch.report(refused())
      expect(watch.isUp).toBe(false)
    } finally {
      watch.close()
    }
  })

  it('does not take one late answer for an outage: a busy machine, or this loop held up past the timer', async () => {
    const watch = new DatabaseWatch(db.sql, {
      everyMs: 60_000,
      whileDownMs: 50,
      timeoutMs: 200,
      settleMs: 0,
      slowProbesBeforeDown: 2,
    })
    const downs: string[] = []
    watch.on('down', (reason) => downs.push(reason))
    try {
      // A request's connect timeout alone asks the probe; it does not end the service.
      watch.report(Object.assign(new Error('write CONNECT_TIMEOUT'), { code: 'CONNECT_TIMEOUT' }))
      expect(watch.isUp).toBe(true)
      // That probe is now in flight; hold the loop past its timer, so the timer fires first.
      await sleep(5)
      const until = performance.now() + 400
      while (performance.now() < until) {}
      await sleep(300)
      expect(downs).toEqual([])
      expect(watch.isUp).toBe(true)
      expect(watch.status.latencyMs).not.toBeNull()
      // A refused connection is an outage at once.
      watch.report(refused())
      expect(watch.isUp).toBe(false)
      expect(downs).toHaveLength(1)
    } finally {
      watch.close()
    }
  })
})
